import probe
tests = {
 "3 aliases calls(first:100){description}": "{" + " ".join(f"c{i}:calls(first:100){{edges{{node{{description}}}}}}" for i in range(3)) + "}",
 "2 aliases calls(first:100){description}": "{" + " ".join(f"c{i}:calls(first:100){{edges{{node{{description}}}}}}" for i in range(2)) + "}",
 "1 alias calls(first:100){description}": "{calls(first:100){edges{node{description}}}}",
 "18 aliases calls(first:100){description}": "{" + " ".join(f"c{i}:calls(first:100){{edges{{node{{description}}}}}}" for i in range(18)) + "}",
 "37 aliases calls(first:100){totalCount}": "{" + " ".join(f"c{i}:calls(first:100){{totalCount}}" for i in range(37)) + "}",
 "18 aliases calls(first:100){edges{node{id}}}": "{" + " ".join(f"c{i}:calls(first:100){{edges{{node{{id}}}}}}" for i in range(18)) + "}",
}
for name, q in tests.items():
    r = probe.send(q)
    print(f"{name:45s} req={r[0]:5d}B status={r[1]} resp={r[2]:9d}B wall={r[3]*1000:7.0f}ms cpu={r[4]*1000:6.0f}ms {r[5]}")
print("VmHWM/VmRSS kB", list(probe.hwm()))
