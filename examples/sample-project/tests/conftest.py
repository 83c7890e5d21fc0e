import pytest

from kiln_sample import Inventory


@pytest.fixture
def inventory():
    stock = Inventory()
    stock.add({"name": "kiln", "price": 120.0, "quantity": 2})
    stock.add({"name": "glaze", "price": "7.5"})
    return stock
