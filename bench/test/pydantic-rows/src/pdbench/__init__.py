"""Rows validated with pydantic-core."""
from pydantic_core import SchemaValidator, core_schema as cs

ROW = cs.typed_dict_schema({
    "id": cs.typed_dict_field(cs.int_schema()),
    "name": cs.typed_dict_field(cs.str_schema(min_length=1)),
    "price": cs.typed_dict_field(cs.float_schema(ge=0)),
    "tags": cs.typed_dict_field(cs.list_schema(cs.str_schema())),
})
rows = SchemaValidator(cs.list_schema(ROW))
