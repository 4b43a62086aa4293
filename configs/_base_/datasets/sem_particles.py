# A folder of SEM images with particle masks (see docs/datasets.md for the layout).
data_root = "data/sem_particles"
crop_size = (512, 512)
