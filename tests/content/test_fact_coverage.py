"""Every fact and figure of the CIRSE leaflet reaches the patient, in the kiosk's own words.

Each row: a fact, and patterns that must ALL be found (case-insensitive) somewhere in the
English patient text. Deleting or changing a fact makes its row fail.
"""

import re

import pytest

FACTS = {
    "happens with ageing": [r"\bolder\b"],
    "more common after the menopause": [r"\bwomen\b", r"menopause"],
    "long-term medicines": [r"steroids", r"hormones", r"cancer drugs", r"long time"],
    "bones lose calcium": [r"lose calcium"],
    "less dense bones break with minor injury": [r"thin", r"small bump or fall"],
    "pain worse when moving": [r"worse when you move"],
    "works like a cast": [r"plaster cast"],
    "bone cement called PMMA": [r"bone cement", r"PMMA"],
    "cement is bio-compatible": [r"bio-compatible", r"made to be used inside the body"],
    "sticks the pieces together": [r"sticks the broken pieces together"],
    "hardens within a few minutes": [r"sets hard within a few minutes"],
    "fast pain relief": [r"ease your pain fast"],
    "better mobility": [r"easier to move"],
    "minimally invasive": [r"minimally invasive", r"not open surgery"],
    "image guidance": [r"image guidance", r"x-ray pictures"],
    "one or two 3-4 mm cuts": [r"one or two tiny cuts", r"3 (to|-) 4 mm"],
    "no major scars": [r"no big scars"],
    "back to normal daily activities": [r"normal daily life"],
    "treats the fracture, not osteoporosis": [r"does not treat (the weak bones|osteoporosis)"],
    "talk to your doctor about long-term treatment": [r"talk to your own doctor",
                                                      r"long-term treatment"],
    "consultation with the interventional radiologist": [r"interventional radiologist",
                                                         r"examine you"],
    "checks every painful fracture": [r"every place along your spine"],
    "spine MRI": [r"MRI scan"],
    "scintigraphy if MRI cannot be used": [r"cannot have an MRI", r"bone scintigraphy"],
    "anaesthetist a few days before": [r"few days before", r"anaesthetist"],
    "local anaesthesia with conscious sedation": [r"local anaesthesia", r"conscious sedation"],
    "or general anaesthesia": [r"general anaesthesia", r"fully asleep"],
    "lie on your stomach": [r"lie on your stomach"],
    "room with an X-ray machine": [r"x-ray machine"],
    "X-rays show which vertebrae": [r"show the doctor exactly which bones"],
    "antibiotics into a vein just before the cement": [r"just before the cement",
                                                       r"antibiotics through a vein"],
    "antibiotics prevent infection": [r"help stop infection"],
    "one or two needles in each broken vertebra": [r"one or two needles into each broken bone"],
    "a few millilitres of cement": [r"few millilitres"],
    "fills as much of the break as possible": [r"fills as much of the break"],
    "cement should not leak": [r"should stay inside the bone"],
    "needles removed": [r"takes out the needles"],
    "rest on a ward for a few hours": [r"rest in a hospital bed for a few hours"],
    "3-6 hours: pain relieved, walking": [r"3 (to|-) 6 hours", r"walk again"],
    "one day, no overnight stay": [r"same day", r"overnight"],
    "general anaesthesia has risks, ask the anaesthetist": [r"risks of its own",
                                                            r"anaesthetist can"],
    "injury to nearby lungs, muscles, nerves": [r"by accident", r"lung", r"muscle", r"nerve"],
    "cement leakage": [r"leak out"],
    "most dangerous in the spinal canal": [r"most dangerous if cement gets into the spinal canal"],
    "rarely cement travels to the lungs through veins": [r"rare", r"veins", r"travels? to the lungs"],
    "infection at the treated site is rare": [r"infection where the bone was treated is rare"],
    "significant side effects in fewer than 1 in 200": [r"fewer than 1 in 200"],
    "follow-up 1-4 weeks after": [r"1 (to|-) 4 weeks after"],
    "follow-up with the interventional radiologist": [r"check-up", r"their clinic"],
    "follow-up checks pain and daily life": [r"pain is better", r"back to your normal daily life"],
    "sudden new pain means a new spine MRI": [r"sudden new pain", r"new MRI scan"],
    "new fractures near or far, from osteoporosis": [r"close to the treated bone", r"far from it",
                                                     r"osteoporosis"],
    "general information, not a substitute for your doctor": [r"general health information",
                                                              r"does not take the place"],
}


@pytest.fixture(scope="module")
def english_text():
    from kiosk.content import load_pack

    return "\n".join(load_pack("en").patient_texts())


@pytest.mark.parametrize("patterns", FACTS.values(), ids=FACTS)
def test_fact_reaches_the_patient(english_text, patterns):
    missing = [p for p in patterns if not re.search(p, english_text, re.IGNORECASE)]
    assert missing == []
