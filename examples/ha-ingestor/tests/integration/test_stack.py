def test_stack_placeholder():
    assert True
