# Fine-tune the network that `nanokit measure` ships on your own micrographs, when its outlines
# miss on your particles (a material, contrast or imaging mode unlike its training data). It
# starts from the shipped weights and trains a few epochs on your images with masks:
#     nanokit run configs/measure/instance_boundary_finetune.py --cfg-options data_root=DIR
#     nanokit measure IMAGES -o OUT --config configs/measure/instance_boundary_finetune.py
# (run both from the repository root; measure loads the new last.safetensors of the work dir).
# DIR/images/<name>.png|.tif with DIR/masks/<name>.png|.tif: instance masks (0 background, one
# id per particle), or binary masks whose touching particles are drawn apart by a background
# line (set mask_kind="components" below). A few dozen images adapt the outlines; a tenth is held
# out (split "test") to check the result on. For another layout, copy this file and edit
# own_data (configs/measure/instance_boundary_finetune_bam_tio2.py is an example).
_base_ = ["./instance_boundary_effnet_lite0.py"]
init_weights = "nanokit/segmentation/weights/instance_boundary_effnet_lite0.safetensors"
data_root = "data/my_particles"
synth = None
max_epochs = 6
freeze_backbone_epochs = 0
optim_wrapper = dict(optimizer=dict(lr=5e-4))
own_data = dict(
    type="MaskFolderDataset",
    mask_kind="auto",
    databar="detect",  # the instrument's data bar is found and cropped off
    split_ratios=(0.9, 0.0, 0.1),
    target={{_base_.target}},
)
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type="SegConcatDataset",
        repeats=(8,),  # a small set gives few iterations per epoch: list it 8 times
        datasets=[dict(own_data, split="train", pipeline={{_base_.train_pipeline}})],
    )
)
val_dataloader = dict(dataset=dict(own_data, _delete_=True, split="test"))
test_dataloader = val_dataloader
work_dir = "work_dirs/instance_boundary_finetune"
measure = dict(segmenter=dict(type="InstanceSegmenter", checkpoint=work_dir + "/last.safetensors"))
