"""The naming rules of extensions/naming.py: derived defaults and validator messages."""

from __future__ import annotations

import pytest

from extensions.naming import (
    client_id_error,
    email_error,
    module_error,
    module_name,
    name_error,
    prose_list,
    quoted,
    realm_error,
    slug_error,
    slugify,
)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("My Service", "my-service"),
        ("Café Ünïcode Sërvice", "cafe-unicode-service"),
        ("  orders -- Service  v2 ", "orders-service-v2"),
        ("Import", "import-service"),
        ("JSON", "json-service"),
        ("Tests", "tests-service"),
        ("Redis", "redis-service"),
        ("42 Things", "service-42-things"),
        ("日本語", "service"),
        (
            "The Enterprise Customer Relationship Management Platform Gateway",
            "the-enterprise-customer-relationship-management",
        ),
    ],
)
def test_slugify_always_derives_a_valid_slug(name: str, slug: str) -> None:
    assert slugify(name) == slug
    assert slug_error(slug) == ""
    assert module_error(module_name(slug)) == ""


@pytest.mark.parametrize(
    ("slug", "module"),
    [("my-service", "my_service"), ("class", "class_service"), ("os", "os_service")],
)
def test_module_name_from_slug(slug: str, module: str) -> None:
    assert module_name(slug) == module


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("My Service", "must be lowercase letters and digits"),
        ("my_service", "must be lowercase letters and digits"),
        ("-service", "must be lowercase letters and digits"),
        ("my--service", "must be lowercase letters and digits"),
        ("9lives", "must be lowercase letters and digits"),
        ("class", "'class' is a Python keyword"),
        ("asyncio", "would shadow the standard-library module 'asyncio'"),
        ("fastapi", "would shadow the dependency 'fastapi'"),
        ("tests", "is reserved for the project's own layout"),
    ],
)
def test_slug_errors_say_why(value: str, message: str) -> None:
    assert message in slug_error(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("MyService", "must be a lowercase Python identifier"),
        ("my-service", "must be a lowercase Python identifier"),
        ("_private", "must be a lowercase Python identifier"),
        ("import", "'import' is a Python keyword"),
        ("json", "would shadow the standard-library module 'json'"),
        ("test", "is reserved for the project's own layout"),
        ("sqlmodel", "would shadow the dependency 'sqlmodel'"),
    ],
)
def test_module_errors_say_why(value: str, message: str) -> None:
    assert message in module_error(value)


def test_long_names_are_cut_at_a_word_and_refused_past_the_limit() -> None:
    long_slug = "a" * 49
    assert "is too long: at most 48 characters" in slug_error(long_slug)
    assert len(slugify(long_slug)) == 48
    module = module_name("the-enterprise-customer-relationship-management")
    assert module == "the_enterprise_customer_relationship"
    assert "is too long: at most 40 characters" in module_error("m" * 41)


def test_other_validators() -> None:
    assert "administration realm" in realm_error("master")
    assert "must be letters, digits" in realm_error("my realm")
    assert realm_error("shop") == ""
    assert "must be letters, digits" in client_id_error("a b")
    assert client_id_error("shop-api") == ""
    assert "is not an e-mail address" in email_error("nobody")
    assert email_error("") == ""
    assert name_error("   ") == "project_name must not be empty"
    assert "quotes" in name_error('Say "hi"')


def test_quoted_escapes_for_toml_and_json() -> None:
    assert quoted('a "b" \\ c') == '"a \\"b\\" \\\\ c"'
    assert quoted("Café") == '"Café"'


def test_prose_list_joins_the_words_it_is_given() -> None:
    assert prose_list(["Keycloak"]) == "Keycloak"
    assert prose_list([False, "Redis", "Keycloak"]) == "Redis and Keycloak"
    assert prose_list(["PostgreSQL", "Redis", "Keycloak"]) == "PostgreSQL, Redis and Keycloak"
    assert prose_list([]) == ""
    with pytest.raises(TypeError, match="needs a list of words"):
        prose_list("Redis")
