from batching.chunks import chunks


def test_chunks_keep_every_item():
    assert chunks([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]


def test_empty():
    assert chunks([], 3) == []
