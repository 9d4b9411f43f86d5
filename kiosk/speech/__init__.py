"""Offline speech synthesis (eSpeak NG in a separate GPL program; see engine.py). No Qt."""

from kiosk.speech.engine import Speech, SpeechUnavailable, Synthesizer, Word, voice_for

__all__ = ["Speech", "SpeechUnavailable", "Synthesizer", "Word", "voice_for"]
