#!/usr/bin/env bash
# The BAM TiO2 comparison of docs/training.md, row by row (each line = one table row).
# Equal reduced CPU budget for every model: 256x256 crops, batch 4, no backbone freezing,
# cross-entropy + Dice, Adam lr 1e-3, EPOCHS epochs (24 training images -> 6 iterations per epoch), then the
# 8 test images.
set -euo pipefail
EPOCHS=${EPOCHS:-6}
OPTS=()
for kv in "max_epochs=$EPOCHS" freeze_backbone_epochs=0 "checkpoint_interval=$EPOCHS" \
          "crop_size=(256,256)" train_dataloader.batch_size=4 "train_cfg.val_interval=$EPOCHS" \
          "model.loss=[{'type':'CrossEntropyLoss'},{'type':'DiceLoss'}]" optim_wrapper.optimizer.lr=1e-3; do
  OPTS+=(--cfg-options "$kv")
done
for cfg in unet_effnet_lite0 segformer_mit_b0 unet_resnet50_crcra unet_resnet50 \
           deeplabv3plus_resnet50 pspnet_resnet50 unet; do
  nice -n 10 .venv/bin/nanokit run "configs/bam_tio2/${cfg}_bam_tio2.py" \
    --work-dir "work_dirs/segmentation_compare/${cfg}_bam_tio2" "${OPTS[@]}"
done
# The same, with parameter counts and timings collected into one table:
#   nice -n 10 .venv/bin/python benchmarks/segmentation_compare.py --epochs $EPOCHS --crop 256 --batch 4
