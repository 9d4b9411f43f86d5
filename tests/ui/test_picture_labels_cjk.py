"""Picture labels in Chinese may wrap between characters: a long label is never one wide line."""

from kiosk.ui.widgets.picture import unbreakable


def test_chinese_breaks_between_characters_and_other_words_stay_whole():
    assert unbreakable("骨折的骨头") == ["骨", "折", "的", "骨", "头"]
    assert unbreakable("A thin needle") == ["A", "thin", "needle"]
    assert unbreakable("MRI 检查") == ["MRI", "检", "查"]
