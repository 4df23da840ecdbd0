import probe, sys, time
n = int(sys.argv[1])
base = list(probe.hwm())
t0 = time.time(); sizes = []
for k in range(n):
    q = f"{{c{k}:calls(first:20){{edges{{node{{description}}}}}}}}"
    r = probe.send(q)
    sizes.append(r[2])
print(f"{n} distinct queries in {time.time()-t0:.1f}s, answers {min(sizes)}..{max(sizes)} B; VmHWM/VmRSS kB before {base} after {list(probe.hwm())}")
