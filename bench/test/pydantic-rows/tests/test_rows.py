import pytest
from pdbench import rows


def make(n):
    return [{"id": str(i), "name": f"item{i}", "price": str(i / 4), "tags": ["a", "b"][: i % 3]} for i in range(n)]


@pytest.mark.parametrize("n", [1000, 5000, 20000])
def test_validates(n):
    out = rows.validate_python(make(n))
    assert len(out) == n and out[-1]["id"] == n - 1


def test_rejects():
    with pytest.raises(Exception):
        rows.validate_python([{"id": "x", "name": "", "price": -1, "tags": []}])
