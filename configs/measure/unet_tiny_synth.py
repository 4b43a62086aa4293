# The network that ships with nanokit (segmenter `SynthUNetSegmenter`): a plain U-Net of
# 0.5 M parameters (encoder 8-128 channels, no attention, no pretrained weights) trained from
# scratch on 600 synthetic SEM images, with the quickstart's recipe. About an hour on 2 CPU cores:
#     nanokit run configs/measure/unet_tiny_synth.py --work-dir work_dirs/unet_tiny_synth
# Its best.safetensors is nanokit/segmentation/weights/unet_tiny_synth.safetensors; the model
# must stay equal to nanokit.segmentation.synth_unet_segmenter.MODEL (a test checks).
_base_ = ["../quickstart.py"]
model = dict(
    backbone=dict(_delete_=True, type="UNetEncoder", channels=(8, 16, 32, 64, 128)),
    decoder=dict(channels=(64, 32, 16, 8), attention=dict(_delete_=True, type="Identity")),
)
synth = dict(n=600, seed=9100)
max_epochs = 50
freeze_backbone_epochs = 0
checkpoint_interval = 10
optim_wrapper = dict(optimizer=dict(lr=2e-3))
train_cfg = dict(val_interval=25)
train_dataloader = dict(batch_size=8)
stages = ["train", "test"]
# `nanokit measure IMAGES --config THIS` sizes with the shipped weights and, like the default
# pipeline, splits touching particles (the paper's base config sizes without); add --checkpoint
# for weights of your own run. Fully convolutional: 1024 px tiles instead of the 256 px crops.
measure = dict(
    segmenter=dict(type="SynthUNetSegmenter"), sizer=dict(type="WatershedSizer"), tile_size=1024
)
