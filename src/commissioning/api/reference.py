"""The API reference page, read from the OpenAPI document: each operation's method, path,
summary, parameters, request body and responses, and the schemas they use, as plain data for a
server-rendered page."""

from dataclasses import dataclass, field

METHODS = ("get", "post", "put", "patch", "delete")
REF_PREFIX = "#/components/schemas/"


@dataclass(frozen=True)
class TypeText:
    """A type in words ('list of OfficeOut'), with the schema it names, if any, to link to."""

    text: str
    ref: str = ""


@dataclass
class Parameter:
    name: str
    location: str
    type: TypeText
    required: bool
    description: str = ""


@dataclass
class Response:
    status: str
    description: str
    type: TypeText | None


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    parameters: list[Parameter] = field(default_factory=list)
    body: TypeText | None = None
    body_content_type: str = ""
    body_required: bool = False
    responses: list[Response] = field(default_factory=list)


@dataclass
class Property:
    name: str
    type: TypeText
    required: bool
    description: str = ""


@dataclass
class Schema:
    name: str
    description: str
    properties: list[Property]
    type: TypeText | None = None  # for a schema that is not an object (an enum, say)


@dataclass
class Section:
    tag: str
    operations: list[Operation]


def type_text(schema: dict | None) -> TypeText:
    if not schema:
        return TypeText("any value")
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(REF_PREFIX)
        return TypeText(name, name)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            nullable = len(options) < len(schema[key])
            parts = [type_text(s) for s in options]
            text = " or ".join(p.text for p in parts) or "null"
            ref = next((p.ref for p in parts if p.ref), "")
            return TypeText(f"{text}, or null" if nullable else text, ref)
    if "enum" in schema:
        return TypeText("one of: " + ", ".join(str(v) for v in schema["enum"]))
    kind = schema.get("type", "any value")
    if kind == "array":
        item = type_text(schema.get("items"))
        return TypeText(f"list of {item.text}", item.ref)
    if kind == "object" and "additionalProperties" in schema:
        value = schema["additionalProperties"]
        if isinstance(value, dict) and value:
            inner = type_text(value)
            return TypeText(f"object of {inner.text}", inner.ref)
        return TypeText("object")
    if schema.get("format"):
        return TypeText(f"{kind} ({schema['format']})")
    return TypeText(str(kind))


def _content_type(content: dict) -> tuple[str, dict | None]:
    for media, body in (content or {}).items():
        return media, body.get("schema")
    return "", None


def _anchor(method: str, path: str) -> str:
    cleaned = "".join(c if c.isalnum() else "-" for c in path.strip("/"))
    return f"{method}-{cleaned}".strip("-").lower()


def operations(document: dict) -> list[Section]:
    """Every operation, grouped by tag in the order the tags first appear."""
    sections: dict[str, list[Operation]] = {}
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            entry = Operation(
                method=method.upper(),
                path=path,
                summary=op.get("summary", ""),
                description=op.get("description", ""),
                anchor=_anchor(method, path),
                parameters=[
                    Parameter(
                        name=p["name"],
                        location=p.get("in", ""),
                        type=type_text(p.get("schema")),
                        required=bool(p.get("required")),
                        description=p.get("description", ""),
                    )
                    for p in op.get("parameters", [])
                ],
                responses=[
                    Response(
                        status=status,
                        description=response.get("description", ""),
                        type=type_text(_content_type(response.get("content"))[1])
                        if response.get("content")
                        else None,
                    )
                    for status, response in op.get("responses", {}).items()
                ],
            )
            body = op.get("requestBody")
            if body:
                media, schema = _content_type(body.get("content"))
                entry.body = type_text(schema)
                entry.body_content_type = media
                entry.body_required = bool(body.get("required"))
            tag = (op.get("tags") or ["other"])[0]
            sections.setdefault(tag, []).append(entry)
    return [Section(tag, ops) for tag, ops in sections.items()]


def schemas(document: dict) -> list[Schema]:
    result = []
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        required = set(schema.get("required", ()))
        properties = [
            Property(
                name=prop,
                type=type_text(spec),
                required=prop in required,
                description=spec.get("description", ""),
            )
            for prop, spec in schema.get("properties", {}).items()
        ]
        result.append(
            Schema(
                name=name,
                description=schema.get("description", ""),
                properties=properties,
                type=None if properties else type_text(schema),
            )
        )
    return result
