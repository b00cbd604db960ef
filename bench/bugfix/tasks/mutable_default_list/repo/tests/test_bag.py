from collector.bag import add_item


def test_appends_to_given_list():
    assert add_item(3, [1, 2]) == [1, 2, 3]


def test_fresh_list_each_call():
    add_item("a")
    assert add_item("b") == ["b"]
