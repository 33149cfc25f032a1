"""The one format table: consistent in itself and with the engine, and the only source of the
formats that content negotiation, the Service Description, uploads and the CLI offer."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from servicenet_api.conneg import GRAPH_OFFERS, RESULT_OFFERS, Offer, negotiate

from servicenet_vocab import formats, rdfio
from servicenet_vocab.cli import EXIT_OK, main
from servicenet_vocab.errors import NotAcceptableError, UnsupportedFormatError
from servicenet_vocab.formats import FORMATS, FormatKind, RdfFormat, ResultFormat
from servicenet_vocab.sparql.description import describe_service
from servicenet_vocab.store import embedded

KINDS = list(FormatKind)
SD_RESULT_FORMAT = ox.NamedNode("http://www.w3.org/ns/sparql-service-description#resultFormat")


def test_every_enum_member_has_one_row_of_its_kind() -> None:
    listed = [row.fmt for row in FORMATS]
    assert sorted(listed) == sorted([*RdfFormat, *ResultFormat])
    for row in FORMATS:
        assert row.fmt.row is row
        expected = FormatKind.RDF if isinstance(row.fmt, RdfFormat) else FormatKind.RESULTS
        assert row.kind is expected
        assert row.names[0] == row.fmt.value  # the CLI's choices are the enum values


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("column", ["names", "media_types", "extensions"])
def test_no_value_names_two_formats_of_a_kind(kind: FormatKind, column: str) -> None:
    values = [value for row in formats.rows(kind) for value in getattr(row, column)]
    assert len(values) == len(set(values)), f"{column} repeated: {values}"
    assert all(value == value.strip().lower() for value in values)


def test_primary_media_types_and_w3c_iris_are_unique_across_the_table() -> None:
    media_types = [row.media_type for row in FORMATS]
    iris = [row.iri for row in FORMATS]
    assert len(set(media_types)) == len(media_types)
    assert len(set(iris)) == len(iris)
    assert all(iri.startswith("http://www.w3.org/ns/formats/") for iri in iris)
    assert all(ext.startswith(".") for row in FORMATS for ext in row.extensions)


def test_the_table_agrees_with_the_engine() -> None:
    for row in FORMATS:
        engine = row.engine
        assert isinstance(
            engine, ox.RdfFormat if row.kind is FormatKind.RDF else ox.QueryResultsFormat
        )
        assert row.fmt.engine == engine
        assert engine.media_type.split(";")[0] == row.media_type
        assert row.extensions[0] == "." + engine.file_extension
        if row.fmt is not RdfFormat.JSONLD:  # pyoxigraph names JSON-LD .../ns/formats/data/JSON-LD
            assert engine.iri == row.iri
    assert RdfFormat.JSONLD.row.iri == "http://www.w3.org/ns/formats/JSON-LD"
    assert {f for f in RdfFormat if f.is_dataset} == {RdfFormat.NQUADS, RdfFormat.TRIG}


@pytest.mark.parametrize("row", FORMATS, ids=lambda row: row.fmt.value)
def test_every_media_type_extension_and_name_resolves_to_its_row(row: formats.Format) -> None:
    for media_type in row.media_types:
        assert formats.for_media_type(media_type, row.kind) is row
        assert formats.for_media_type(f" {media_type.upper()}; charset=utf-8", row.kind) is row
    for extension in row.extensions:
        assert formats.for_extension(f"dir.d/Data{extension.upper()}", row.kind) is row
    for name in row.names:
        assert formats.for_name(name.upper(), row.kind) is row


def test_lookups_are_per_kind() -> None:
    assert formats.for_media_type("application/json", FormatKind.RDF).fmt is RdfFormat.JSONLD
    assert formats.for_media_type("application/json", FormatKind.RESULTS).fmt is ResultFormat.JSON
    assert formats.for_name("xml", FormatKind.RDF).fmt is RdfFormat.RDFXML
    assert formats.for_name("xml", FormatKind.RESULTS).fmt is ResultFormat.XML
    with pytest.raises(UnsupportedFormatError, match="unsupported RDF media type"):
        formats.for_media_type("application/sparql-results+json")
    with pytest.raises(UnsupportedFormatError, match="unsupported results media type"):
        formats.for_media_type("text/turtle", FormatKind.RESULTS)


def test_bad_lookups_name_what_and_list_the_known() -> None:
    with pytest.raises(UnsupportedFormatError) as caught:
        formats.for_extension("units.xlsx")
    assert "'.xlsx'" in caught.value.message and ".ttl" in caught.value.message
    assert caught.value.location is not None and caught.value.location.source == "units.xlsx"
    with pytest.raises(UnsupportedFormatError, match=r"'\(none\)'"):
        formats.for_extension("README")
    with pytest.raises(UnsupportedFormatError) as caught:
        formats.for_media_type("application/pdf; q=1")
    assert "'application/pdf'" in caught.value.message
    assert all(row.media_type in caught.value.message for row in formats.rows(FormatKind.RDF))
    with pytest.raises(UnsupportedFormatError, match="unknown results format 'html'; use one of"):
        formats.for_name("html", FormatKind.RESULTS)


def test_old_import_places_are_the_table_s_enums() -> None:
    assert rdfio.RdfFormat is RdfFormat
    assert embedded.ResultFormat is ResultFormat
    assert rdfio.supported_media_types() == [row.media_type for row in formats.rows(FormatKind.RDF)]


@pytest.mark.parametrize("row", formats.rows(FormatKind.RDF), ids=lambda row: row.fmt.value)
def test_uploads_and_files_take_their_rdf_format_from_the_table(row: formats.Format) -> None:
    for media_type in row.media_types:
        assert rdfio.format_for_media_type(f"{media_type}; charset=utf-8") is row.fmt
    for extension in row.extensions:
        assert rdfio.format_for_path(Path("data") / f"file{extension}") is row.fmt


def test_the_service_description_lists_exactly_the_table_s_w3c_iris() -> None:
    triples = describe_service("http://example.org/sparql", [])
    listed = [t.object.value for t in triples if t.predicate == SD_RESULT_FORMAT]
    assert sorted(listed) == sorted(row.iri for row in FORMATS)


def _offer_facts(offer: Offer) -> tuple[object, ...]:
    return offer.media_type, offer.fmt, offer.names, offer.aliases


def test_conneg_offers_are_the_table_rows_in_order() -> None:
    for offers, kind in ((RESULT_OFFERS, FormatKind.RESULTS), (GRAPH_OFFERS, FormatKind.RDF)):
        rows = formats.rows(kind)
        assert [_offer_facts(o) for o in offers] == [
            (r.media_type, r.fmt, r.names, r.aliases) for r in rows
        ]


@pytest.mark.parametrize(
    ("offers", "kind"), [(RESULT_OFFERS, FormatKind.RESULTS), (GRAPH_OFFERS, FormatKind.RDF)]
)
def test_negotiation_reaches_every_row_by_media_type_alias_and_name(
    offers: tuple[Offer, ...], kind: FormatKind
) -> None:
    for row in formats.rows(kind):
        for media_type in row.media_types:
            assert negotiate(f"{media_type};q=0.9", offers, what="x").fmt is row.fmt
        for name in row.names:
            assert negotiate("*/*", offers, format_param=name, what="x").fmt is row.fmt
    assert negotiate(None, offers, what="x").fmt is formats.rows(kind)[0].fmt
    with pytest.raises(NotAcceptableError):
        negotiate("image/png", offers, what="x")


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit):
        main([*argv, "--help"])
    return capsys.readouterr().out


def test_cli_choices_are_the_table_s_names(capsys: pytest.CaptureFixture[str]) -> None:
    rdf_choices = "{" + ",".join(formats.names(FormatKind.RDF)) + "}"
    assert rdf_choices in _help(["load"], capsys)
    assert rdf_choices in _help(["upload"], capsys)
    assert "{table," + ",".join(formats.names(FormatKind.RESULTS)) + "}" in _help(["query"], capsys)


def test_cli_format_accepts_any_name_of_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "units.txt"  # the extension cannot tell the format
    data.write_bytes(b"<urn:a> <urn:b> <urn:c> .\n")
    store = str(tmp_path / "store")
    argv = ["load", str(data), "--graph", "urn:g", "--store", store, "--format"]
    assert main([*argv, "NT"]) == EXIT_OK
    assert "loaded 1 triples" in capsys.readouterr().out
    with pytest.raises(SystemExit) as caught:
        main([*argv, "excel"])
    assert caught.value.code == 2
    assert "unknown RDF format 'excel'; use one of turtle, ttl" in capsys.readouterr().err
