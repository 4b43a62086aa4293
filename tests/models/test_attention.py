"""Attention blocks: shapes, CBAM's maps, registry names."""

from __future__ import annotations

import pytest
import torch

from nanokit.models.attention import CBAM, ECA, SCSE, SE, Identity
from nanokit.registry import ATTENTION, build


def _features(seed: int = 0, shape: tuple[int, ...] = (2, 32, 9, 13)) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def test_cbam_maps_lie_in_unit_interval_with_right_shapes():
    torch.manual_seed(0)
    cbam = CBAM(32, reduction=4, kernel_size=7)
    x = _features()
    channel = cbam.channel_map(x)
    spatial = cbam.spatial_map(x * channel)
    assert channel.shape == (2, 32, 1, 1)
    assert spatial.shape == (2, 1, 9, 13)
    for m in (channel, spatial):
        assert bool((m > 0).all()) and bool((m < 1).all())
    assert torch.allclose(cbam(x), x * channel * spatial)


def test_cbam_channel_attention_uses_avg_and_max_through_one_mlp():
    cbam = CBAM(16, reduction=4)
    assert len([p for p in cbam.mlp.parameters()]) == 2  # one shared MLP: two 1x1 convs
    assert cbam.mlp[0].out_channels == 4
    assert cbam.spatial.in_channels == 2 and cbam.spatial.kernel_size == (7, 7)
    # a constant map has avg == max; the channel weights are then sigmoid(2 * MLP(avg))
    x = torch.full((1, 16, 5, 5), 0.7)
    expected = torch.sigmoid(2 * cbam.mlp(x[:, :, :1, :1]))
    assert torch.allclose(cbam.channel_map(x), expected, atol=1e-6)


def test_cbam_maps_are_those_of_the_means_and_maxima():
    """The maps from the pooled means and maxima as the CBAM paper defines them (the module
    computes the means as sums over counts: faster in bf16 on CPUs)."""
    torch.manual_seed(0)
    cbam = CBAM(32, reduction=4, kernel_size=7)
    x = _features(seed=3)
    avg, peak = x.mean(dim=(2, 3), keepdim=True), x.amax(dim=(2, 3), keepdim=True)
    channel = torch.sigmoid(cbam.mlp(avg) + cbam.mlp(peak))
    assert torch.allclose(cbam.channel_map(x), channel, atol=1e-6)
    pooled = torch.cat([x.amax(dim=1, keepdim=True), x.mean(dim=1, keepdim=True)], dim=1)
    assert torch.allclose(cbam.spatial_map(x), torch.sigmoid(cbam.spatial(pooled)), atol=1e-6)


@pytest.mark.parametrize("block", [CBAM(32), SE(32), SCSE(32), ECA(32), Identity(32)])
def test_attention_keeps_the_shape(block):
    x = _features(1)
    assert block(x).shape == x.shape


def test_identity_returns_input_and_eca_kernel_is_odd():
    x = _features(2)
    assert torch.equal(Identity(32)(x), x)
    for c in (16, 64, 512):
        assert ECA(c).conv.kernel_size[0] % 2 == 1


def test_attention_builds_by_name_with_channels():
    block = build(ATTENTION, dict(type="CBAM", reduction=8), channels=64)
    assert isinstance(block, CBAM) and block.mlp[0].out_channels == 8
