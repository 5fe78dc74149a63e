"""Bad input: every failure is an ArchiveError naming the file and the reason; other files still read."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import archive
from archive.readers import text as readers

GOOD = "绿色丝路新闻\n\n2019年11月6日，习近平同马克龙会谈。\n\n（来源：新华网）\n"


def _error(path: Path, **kwargs: object) -> archive.ArchiveError:
    with pytest.raises(archive.ArchiveError) as info:
        archive.read(path, **kwargs)
    assert info.value.path == str(path)
    assert str(path) in str(info.value)
    return info.value


def _docx_bytes() -> bytes:
    import docx

    buf = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("2019年11月6日，习近平同马克龙会谈。")
    document.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.md", b"  \n\n \n", "empty"),
        ("binary.txt", bytes(range(256)) * 20, "binary"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02IHDR" * 200, "binary"),
        ("cut.txt", GOOD.encode() + "会".encode()[:2], "truncated"),
        ("fake.pdf", b"this is not a pdf", "not a PDF"),
        ("cut.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "PDF"),
        ("fake.docx", b"PK\x03\x04 broken zip", "DOCX"),
        ("cut.docx", None, "DOCX"),
        ("empty.html", b"<html><body><nav>menu</nav></body></html>", "no text"),
        ("nothing.txt", "更多信息，欢迎点击\n\n联系我们\n".encode(), "no bulletin items"),
        ("bad.jsonl", b'{"text": \n', "not valid JSON"),
        ("list.jsonl", b'["text"]\n', "JSON object"),
        ("notext.jsonl", b'{"title": "t"}\n', "no text"),
        ("twice-bad.jsonl", b'{"text": \n{"title": "t"}\n', "(and 1 more bad records)"),
        ("baddate.csv", b"text,date\nhello,someday\n", "not a date"),
        ("noheader.csv", b"a,b\n1,2\n", "header"),
        ("sheet.xlsx", b"PK", "unsupported"),
    ],
)
def test_bad_files(tmp_path: Path, name: str, data: bytes | None, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data if data is not None else _docx_bytes()[:300])
    err = _error(path)
    assert reason.lower() in err.reason.lower()


def test_bad_record_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"text": \n')
    err = _error(path)
    assert isinstance(err, archive.BadRecord) and err.line == 1 and f"{path}:1" in str(err)


@pytest.mark.parametrize(
    ("name", "data", "lines", "reason"),
    [
        ("bad.jsonl", b'{"text": "ok"}\n\n{"text": \n["x"]\n{"text": "fine", "date": "2019-11-02"}\n',
         [3, 4], ["not valid JSON", "JSON object"]),
        ("dup.jsonl", b'{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n{"id": "b", "text": "z"}\n',
         [2], ["repeats the record on line 1"]),
        ("rows.csv", b"text,date\nhello,2019-11-01\nbye,someday\nmore,2019-11-03,extra\nlast,\n",
         [3, 4], ["not a date", "more cells"]),
    ],
)
def test_bad_records_are_named_and_skipped(tmp_path: Path, name: str, data: bytes, lines: list[int],
                                            reason: list[str]) -> None:
    """One bad line loses only itself: the good records are read, each bad one is named file:line: reason."""
    path = tmp_path / name
    path.write_bytes(data)
    parsed = archive.read(path)
    assert [p.line for p in parsed.problems] == lines
    assert all(r in p.reason and f"{path}:{p.line}: " in str(p) for p, r in zip(parsed.problems, reason, strict=True))
    good = len(data.decode().strip().splitlines()) - len(lines) - (name.endswith(".csv") + data.count(b"\n\n"))
    assert len(parsed.items) == good and all(it.text for it in parsed.items)
    assert any(f"skipped {len(lines)} bad records" in note for note in parsed.bulletin.notes)
    result = archive.read_many([path])
    assert [len(f.items) for f in result.files] == [good]
    assert [(e.path, e.line) for e in result.errors] == [(str(path), line) for line in lines]


def test_missing_file_and_sidecar(tmp_path: Path) -> None:
    assert "no such file" in _error(tmp_path / "gone.txt").reason
    side = tmp_path / "x.meta.toml"
    side.write_text('title = "x"\n', encoding="utf-8")
    assert isinstance(_error(side), archive.UnsupportedFile)


def test_bad_sidecar(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.meta.toml").write_text("title = \n", encoding="utf-8")
    assert "sidecar" in _error(tmp_path / "b.txt").reason


def test_huge_file_refused_without_writing_50_mb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    path.write_text(GOOD * 10, encoding="utf-8")
    assert "too big" in _error(path, max_bytes=100).reason
    monkeypatch.setattr(readers, "MAX_BYTES", 100)
    assert readers.MAX_BYTES == 100 and archive.read(path).items  # the API default is bound at import
    assert "too big" in archive.read_many([path], max_bytes=100).errors[0].reason
    assert readers.read_bytes.__defaults__ == (50 * 1024 * 1024,)


def test_unexpected_library_errors_are_wrapped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ok.txt"
    path.write_text(GOOD, encoding="utf-8")

    def boom(*args: object, **kwargs: object) -> None:
        raise KeyError("internal")

    monkeypatch.setattr("archive.readers.document.parse_text", boom)
    err = _error(path)
    assert isinstance(err, archive.UnreadableFile) and "KeyError" in err.reason


def test_read_dir_reads_the_rest(tmp_path: Path) -> None:
    (tmp_path / "a-good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b-empty.txt").write_bytes(b"")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c-good.md").write_text(GOOD.replace("6日", "7日"), encoding="utf-8")
    (tmp_path / "sub" / "c-good.meta.toml").write_text('date = "2019-11-30"\n', encoding="utf-8")
    (tmp_path / "notes.xlsx").write_bytes(b"PK")
    (tmp_path / "d.pdf").write_bytes(b"%PDF-1.4 truncated")
    result = archive.read_dir(tmp_path)
    assert [f.bulletin.id for f in result.files] == ["a-good", "c-good"]
    assert sorted(Path(e.path).name for e in result.errors) == ["b-empty.txt", "d.pdf"]
    assert all(isinstance(e, archive.ArchiveError) for e in result.errors)
    assert len(result.items) == 2


def test_read_many_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    result = archive.read_many([tmp_path / "a.txt", tmp_path / "a.md", tmp_path / "nope"])
    assert [f.bulletin.id for f in result.files] == ["a", "a-md"]
    assert [Path(e.path).name for e in result.errors] == ["nope"]
    assert archive.read_dir(tmp_path / "missing").errors[0].reason == "no such folder"


def test_zip_that_is_not_a_docx(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    path = tmp_path / "zip.docx"
    path.write_bytes(buf.getvalue())
    assert "DOCX" in _error(path).reason
