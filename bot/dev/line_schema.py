"""LINE's OpenAPI specs as validators that follow discriminators, and their errors as Violations.

The specs (bot/dev/line-openapi/, Apache-2.0, from line/line-openapi) describe every message,
container, component and action as a subtype behind an OpenAPI ``discriminator``. JSON Schema
validators ignore discriminators, so a Flex message without ``altText`` or a container of type
``"bubblee"`` would pass. ``_dispatching_components`` rewrites each discriminated schema into a
Draft-4 dispatcher that picks the subtype by its ``type`` value, which OAS30Validator does follow.
"""

from __future__ import annotations

import copy
import functools
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from bot.dev.line_violation import Violation, short, too_long, too_many
from handlers.domain.plan_files import read_yaml

logger = logging.getLogger(__name__)

SPEC_DIR = Path(__file__).parent / "line-openapi"
_SCHEMAS = "#/components/schemas/"
# Marks the anyOf that a rewrite added, so error reporting can follow the chosen subtype.
_DISPATCH_MARK = "x-dispatch-on"


def schema_violations(spec_file: str, schema_name: str, body: Any) -> list[Violation]:
    """Return the problems body has against one named schema of a vendored spec."""
    found: list[Violation] = []
    for error in _validator(spec_file, schema_name).iter_errors(body):
        for leaf in _leaf_errors(error):
            violation = Violation(_pointer(leaf), _describe(leaf))
            # The same sub-error can surface through more than one schema path.
            if violation not in found:
                found.append(violation)
    return found


def _leaf_errors(error: ValidationError) -> Iterator[ValidationError]:
    """Replace an error from a rewritten dispatcher by the errors of the subtype its type chose."""
    if not (isinstance(error.schema, dict) and _DISPATCH_MARK in error.schema):
        yield error
        return
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or []:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    for subs in branches.values():
        # allOf[0] of a branch is the type test; if it failed, this is not the chosen subtype.
        # When no branch is chosen the type itself is wrong, which the enum beside it reports.
        if any(list(sub.relative_schema_path)[1:3] == ["allOf", 0] for sub in subs):
            continue
        for sub in subs:
            yield from _leaf_errors(sub)


def _pointer(error: ValidationError) -> str:
    return "".join(f"/{part}" for part in error.absolute_path)


def _describe(error: ValidationError) -> str:
    """Word an error without echoing the whole offending instance (a 501-id list, say)."""
    instance, limit = error.instance, error.validator_value
    if error.validator == "maxItems":
        return too_many(len(instance), limit, "items")
    if error.validator == "minItems":
        return f"too few items: {len(instance)}, the minimum is {limit}"
    if error.validator == "maxLength":
        return too_long(len(instance), limit, "characters")
    if error.validator == "minLength":
        return f"too short: {len(instance)} characters, the minimum is {limit}"
    if error.validator == "type":
        return f"{short.repr(instance)} is not of type {limit!r}"
    if error.validator == "pattern":
        return f"{short.repr(instance)} does not match {limit!r}"
    return error.message if len(error.message) <= 300 else error.message[:297] + "..."


@functools.cache
def _validator(spec_file: str, schema_name: str) -> Any:
    """Build (once) a validator for one named schema of a vendored spec."""
    components = _dispatching_components(spec_file)
    if schema_name not in components["schemas"]:
        raise KeyError(f"{spec_file} has no schema {schema_name!r}")
    root = {"$ref": _SCHEMAS + schema_name, "components": components}
    return OAS30Validator(root, format_checker=oas30_format_checker)


@functools.cache
def _dispatching_components(spec_file: str) -> dict:
    """Load a spec's components with each discriminated schema X rewritten as X__base + dispatcher X."""
    # read_yaml hands every caller the same cached document; the rewrite below edits in place, so edit a copy.
    components = copy.deepcopy(read_yaml(SPEC_DIR / spec_file)["components"])
    schemas = components["schemas"]
    discriminated = {
        name: schema for name, schema in list(schemas.items()) if schema.get("discriminator", {}).get("mapping")
    }
    for name, schema in discriminated.items():
        base = {key: value for key, value in schema.items() if key != "discriminator"}
        schemas[f"{name}__base"] = base
        schemas[name] = _dispatcher(name, schema["discriminator"])
    for schema in discriminated.values():
        for target in schema["discriminator"]["mapping"].values():
            _point_at_base(schemas[target.removeprefix(_SCHEMAS)], discriminated)
    logger.debug("loaded %s with %d discriminated schemas", spec_file, len(discriminated))
    return components


def _dispatcher(name: str, discriminator: dict) -> dict:
    prop, mapping = discriminator["propertyName"], discriminator["mapping"]

    def is_type(*values: str) -> dict:
        return {"properties": {prop: {"enum": list(values)}}}

    # OpenAPI requires the discriminator property; `required` in each branch's type test also
    # keeps a value-less object from passing vacuously through the first branch.
    branches = [
        {"allOf": [{"required": [prop], **is_type(key)}, {"$ref": target}]} for key, target in mapping.items()
    ]
    return {
        "required": [prop],
        "allOf": [
            {"$ref": f"{_SCHEMAS}{name}__base"},
            is_type(*mapping),
            {_DISPATCH_MARK: prop, "anyOf": branches},
        ],
    }


def _point_at_base(subtype: dict, discriminated: dict[str, dict]) -> None:
    """Make a subtype extend X__base rather than the dispatcher X, which would refer back to it."""
    for part in subtype.get("allOf", []):
        ref = part.get("$ref", "")
        if ref.removeprefix(_SCHEMAS) in discriminated:
            part["$ref"] = f"{ref}__base"
