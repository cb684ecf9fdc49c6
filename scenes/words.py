"""The words a scene uses for the recording's data, in one place, so every line stays true.

A digits run says "a digit", "digits", "0".."9"; a Fashion-MNIST run "a clothing item",
"clothing items", "Trouser"; a folder of images "an image" and the folder names. Scenes write
f"Here is {a_noun(rec)}" instead of "Here is a digit", and label outputs with `label(rec, k)`.
"""

from __future__ import annotations

from manim import ManimColor, Text

from nn.classes import article, plural
from nn.recording import Recording
from scenes.style import text

SHORT_LABEL = 10  # characters: longer class names are shortened where room is short ('Ankle boot' fits)


def noun(rec: Recording) -> str:
    """One item of the data, singular: 'digit', 'clothing item', 'image'."""
    return rec.noun


def nouns(rec: Recording) -> str:
    """Items of the data, plural: 'digits', 'clothing items', 'images'."""
    return plural(rec.noun)


def a_noun(rec: Recording) -> str:
    """'a digit', 'a clothing item', 'an image'."""
    return f"{article(rec.noun)} {rec.noun}"


def label(rec: Recording, k: int) -> str:
    """The name of class k (output neuron k): '3', 'Trouser', 'cat'."""
    return rec.classes[k]


def short_label(rec: Recording, k: int, width: int = SHORT_LABEL) -> str:
    """Class k's name cut to `width` characters with '.' when longer ('T-shirt/top' -> 'T-shirt.')
    for labels under narrow bars; the full names are spoken."""
    name = rec.classes[k]
    if len(name) <= width:
        return name
    cut = name[: width - 1]
    at = max(cut.rfind(c) for c in " /-")  # at a word's end where there is one
    return (cut[:at] if at > 0 else cut).rstrip(" /-") + "."


def class_label(rec: Recording, k: int, size: float, color: ManimColor, width: float) -> Text:
    """Class k's name as an on-screen label no wider than `width`: whole when it fits shrunk by at most
    a fifth ('Ankle boot'), else shortened ('T-shirt.'); then shrunk to fit."""
    label_text = text(rec.classes[k], size=size, color=color)
    if label_text.width > 1.25 * width:
        label_text = text(short_label(rec, k), size=size, color=color)
    if label_text.width > width:
        label_text.scale_to_fit_width(width)
    return label_text


def class_word(rec: Recording) -> str:
    """What one class is called in 'one output for each ...': 'digit' for digits, else 'class'."""
    return "digit" if rec.noun == "digit" else "class"


def spoken_count(n: int) -> str:
    """A small count as a word for speech (ten, three); larger ones as numerals."""
    small = "zero one two three four five six seven eight nine ten eleven twelve".split()
    return small[n] if 0 <= n < len(small) else f"{n:,}"


def none_of_these(rec: Recording) -> str:
    """What a picture outside every class is: 'no digit at all'; 'none of these ten classes'."""
    if rec.noun == "digit":
        return "no digit at all"
    return f"none of these {spoken_count(len(rec.classes))} classes"


def test_item(rec: Recording, k: int) -> str:
    """One test item of class k, spoken after 'a' or 'the same': 'test 7' for digits, 'test clothing
    item, Trouser' otherwise."""
    return f"test {rec.classes[k]}" if rec.noun == "digit" else f"test {rec.noun}, {rec.classes[k]}"
