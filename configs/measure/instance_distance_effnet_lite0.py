# The alternative head compared with the shipped boundary head (docs/measure.md): the same network
# and data, but five classes: background and four levels of the distance to the particle's edge
# divided by the particle's largest distance (a quantised normalised distance transform). The
# measure segmenter seeds a watershed where the expected level passes one half.
#     nanokit run configs/measure/instance_distance_effnet_lite0.py
_base_ = ["./instance_boundary_effnet_lite0.py"]
target = "distance"
model = dict(num_classes=5)
train_dataloader = dict(
    dataset=dict(
        datasets=[
            dict(
                type="MaskFolderDataset",
                data_root={{_base_.emps_train_root}},
                mask_kind="instance",
                target=target,
                pipeline={{_base_.train_pipeline}},
            ),
            dict(
                type="SynthDataset",
                split="train",
                split_ratios=(0.9, 0.1, 0.0),
                target=target,
                pipeline={{_base_.train_pipeline}},
            ),
        ],
    ),
)
measure = dict(segmenter=dict(type="InstanceSegmenter", decoding="distance"))
