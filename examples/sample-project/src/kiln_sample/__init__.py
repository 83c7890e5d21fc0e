"""A tiny inventory: items validated with pydantic-core, totals and a text report."""

from __future__ import annotations

import os
import pathlib
import sys

from pydantic_core import SchemaValidator, ValidationError, core_schema

__all__ = ["Inventory", "ValidationError", "greeting", "platform_name"]

_item = SchemaValidator(
    core_schema.typed_dict_schema(
        {
            "name": core_schema.typed_dict_field(core_schema.str_schema(min_length=1)),
            "price": core_schema.typed_dict_field(core_schema.float_schema(ge=0)),
            "quantity": core_schema.typed_dict_field(core_schema.int_schema(ge=0), required=False),
        }
    )
)


class Inventory:
    """Items with prices and quantities, validated on the way in."""

    def __init__(self) -> None:
        self._items: dict[str, dict] = {}

    def add(self, raw: dict) -> dict:
        item = _item.validate_python(raw)
        item.setdefault("quantity", 1)
        self._items[item["name"]] = item
        return item

    def total(self) -> float:
        return round(sum(i["price"] * i["quantity"] for i in self._items.values()), 2)

    def __len__(self) -> int:
        return len(self._items)

    def report(self) -> str:
        lines = [f"{i['name']}: {i['quantity']} x {i['price']:.2f}" for i in sorted(self._items.values(), key=lambda i: i["name"])]
        return "\n".join([*lines, f"total: {self.total():.2f}"])

    def print_report(self) -> None:
        print(self.report())

    def save(self, path: pathlib.Path) -> None:
        path.write_text(self.report() + "\n", encoding="utf-8")


def platform_name() -> str:
    """`emscripten` on WebAssembly."""
    return sys.platform


def greeting() -> str:
    return os.environ.get("KILN_SAMPLE_GREETING", "hello")
