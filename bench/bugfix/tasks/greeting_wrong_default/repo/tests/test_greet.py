from hello.greet import greet


def test_custom_greeting():
    assert greet("Ann", "Hey") == "Hey, Ann!"


def test_default_greeting():
    assert greet("Bob") == "Hello, Bob!"
