"""Registries: building by name, one-line errors, no import-path fallback."""

from __future__ import annotations

import pytest

from nanokit.errors import NanokitError
from nanokit.registry import (
    ATTENTION,
    BACKBONES,
    DECODERS,
    LOSSES,
    REGISTRIES,
    SEGMENTERS,
    SEGMENTORS,
    build,
)


@pytest.fixture
def temporary_attention():
    """Registers a throw-away attention block and removes it afterwards."""
    from torch import nn

    class TemporaryBlock(nn.Module):
        def __init__(self, channels: int, scale: float = 1.0) -> None:
            super().__init__()
            self.channels, self.scale = channels, scale

    ATTENTION.register_module(module=TemporaryBlock)
    yield TemporaryBlock
    ATTENTION._module_dict.pop("TemporaryBlock")


def test_build_by_name_with_default_args():
    block = build(ATTENTION, dict(type="SE", reduction=4), channels=32)
    assert type(block).__name__ == "SE" and block.channels == 32


def test_registered_class_builds_and_config_values_win_over_defaults(temporary_attention):
    block = build(ATTENTION, dict(type="TemporaryBlock", channels=8, scale=2.0), channels=4)
    assert isinstance(block, temporary_attention)
    assert (block.channels, block.scale) == (8, 2.0)


def test_the_model_registries_know_their_components():
    assert {"CBAM", "SE", "SCSE", "ECA", "Identity"} <= set(_names(ATTENTION))
    assert {"TimmBackbone", "UNetEncoder", "MiT"} <= set(_names(BACKBONES))
    assert {"UNetDecoder", "CRCRA", "PSPHead", "DeepLabV3PlusHead", "HRNetV2Head",
            "SegFormerHead"} <= set(_names(DECODERS))  # fmt: skip
    assert {"CrossEntropyLoss", "DiceLoss", "FocalLoss"} <= set(_names(LOSSES))
    assert "EncoderDecoder" in _names(SEGMENTORS)


def test_measurement_segmenters_have_their_own_registry():
    assert REGISTRIES["SEGMENTERS"] is SEGMENTERS
    assert {"ClassicalSegmenter", "NetworkSegmenter", "SynthUNetSegmenter",
            "InstanceSegmenter"} <= set(_names(SEGMENTERS))  # fmt: skip
    assert "ClassicalSegmenter" not in _names(SEGMENTORS)


def test_nanokit_list_shows_the_segmenters():
    from click.testing import CliRunner

    from nanokit.cli.main import cli

    result = CliRunner().invoke(cli, ["list", "segmenters"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("SEGMENTERS (")
    listed = {line.split()[0] for line in lines[1:]}
    assert {"ClassicalSegmenter", "NetworkSegmenter", "SynthUNetSegmenter",
            "InstanceSegmenter"} <= listed  # fmt: skip


def _names(registry):
    registry.import_from_location()
    return registry.module_dict


@pytest.mark.parametrize("name", ["collections.OrderedDict", "torch.nn.Identity"])
def test_dotted_type_is_rejected_not_imported(name):
    with pytest.raises(NanokitError, match="registered name") as err:
        build(ATTENTION, dict(type=name), channels=8)
    assert "\n" not in str(err.value)


def test_unknown_type_is_a_one_line_error_listing_the_known_ones():
    with pytest.raises(NanokitError) as err:
        build(ATTENTION, dict(type="NoSuchBlock"), channels=8)
    message = str(err.value)
    assert "\n" not in message
    assert "'NoSuchBlock'" in message and "CBAM" in message


def test_config_without_type_is_rejected():
    with pytest.raises(NanokitError, match="'type'"):
        build(LOSSES, dict(loss_weight=1.0))
