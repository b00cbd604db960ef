from calclib.text import initials, slugify


def test_slugify_joins_words_with_dashes():
    assert slugify("Release notes 2026") == "release-notes-2026"


def test_initials():
    assert initials("ada lovelace") == "AL"
