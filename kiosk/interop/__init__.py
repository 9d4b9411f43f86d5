"""Hand-off of consents to hospital systems: FHIR R4 resources and the FHIR target (Qt-free).

`kiosk.interop.fhir` turns a stored consent into a FHIR R4 transaction Bundle,
`kiosk.interop.questionnaire` makes the Questionnaire its answers refer to, and
`kiosk.interop.fhir_target` POSTs the Bundle to a hospital's FHIR endpoint for the outbox.
`kiosk.interop.export` writes the same Bundles as files for hospitals that import files.
"""
