# Peer benchmark: dump the IPv4 routes of the current network namespace with pyroute2, `repeat` timed times after
# one warm-up, and print { count, times, maxRssMB } as one JSON line. Run inside the namespace (ip netns exec).
import json
import resource
import socket
import sys
import time

from pyroute2 import IPRoute

repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 3
times = []
count = 0
with IPRoute() as ipr:
    for i in range(repeat + 1):
        t0 = time.perf_counter()
        routes = ipr.get_routes(family=socket.AF_INET)
        # get_routes may hand back a generator in newer pyroute2: make sure every message is parsed
        routes = list(routes)
        t = (time.perf_counter() - t0) * 1000
        if i > 0:
            times.append(t)
        count = len(routes)
        del routes
print(json.dumps({"count": count, "times": times,
                  "maxRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
