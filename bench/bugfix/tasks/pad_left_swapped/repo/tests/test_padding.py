from layout.padding import pad_left, pad_right


def test_pad_left():
    assert pad_left("7", 3, "0") == "007"


def test_pad_right():
    assert pad_right("ab", 4, ".") == "ab.."
