"""Scale-out: ``nanokit measure --backend dask`` on a dask.distributed cluster
(:mod:`nanokit.distributed.dask_backend`, needs the ``dask`` extra) and
``nanokit train --launcher pytorch`` under torchrun (:mod:`nanokit.distributed.launcher`).

Nothing is imported here, so that ``import nanokit`` stays light.
"""
