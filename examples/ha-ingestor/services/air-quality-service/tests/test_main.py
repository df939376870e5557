from src import main


def test_module_imports():
    assert main.run
