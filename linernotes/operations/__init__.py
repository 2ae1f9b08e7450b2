"""Running an instance: backups, restores and the load balancers' health check."""
