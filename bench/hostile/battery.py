import probe, json, sys
tests = {}
b = "fragment F0 on Query{ products{id} } " + "".join(f"fragment F{i} on Query{{...F{i-1} ...F{i-1}}} " for i in range(1,27)) + "query { ...F26 }"
tests["fragment bomb"] = b
tests["20 aliases calls(first:100) description"] = "{" + " ".join(f"c{i}:calls(first:100){{edges{{node{{description}}}}}}" for i in range(20)) + "}"
tests["18 aliases calls(first:100) description"] = "{" + " ".join(f"c{i}:calls(first:100){{edges{{node{{description}}}}}}" for i in range(18)) + "}"
tests["4 aliases calls(first:100) description"] = "{" + " ".join(f"c{i}:calls(first:100){{edges{{node{{description}}}}}}" for i in range(4)) + "}"
tests["calls(first:100000) full node"] = "{calls(first:100000){totalCount edges{node{id title status pricingModel contractStart contractEnd submissionDeadline orderer{name} lines{quantity product{code name unit category}} criteria{priceWeight qualityCriteria{name weight maxPoints}} questions{text answer}}}}}"
tests["37 aliases calls(first:100){totalCount}"] = "{" + " ".join(f"c{i}:calls(first:100){{totalCount}}" for i in range(37)) + "}"
tests["60 aliases calls(first:30){edges{node{id}}}"] = "{" + " ".join(f"c{i}:calls(first:30){{edges{{node{{id}}}}}}" for i in range(60)) + "}"
tests["depth 16 call{...} nesting"] = "{products{id}}"  # placeholder replaced below
tests["300 aliases products{id name}"] = "{" + " ".join(f"p{i}:products{{id name}}" for i in range(300)) + "}"
tests["introspection x3 nested"] = None
A=3
def lvl(inner):
    al=" ".join(f"a{i}:type{{ ofType{{ ofType{{ ofType{{ {inner} }} }} }} }}" for i in range(A))
    return f"fields{{ name {al} }}"
tests["introspection x3 nested"] = "{__schema{types{ " + lvl(lvl("fields{name}")) + " }}}"
tests["introspection x6 nested"] = None
A=6
tests["introspection x6 nested"] = "{__schema{types{ " + lvl(lvl("fields{name}")) + " }}}"
del tests["depth 16 call{...} nesting"]
n = 0
for name, q in tests.items():
    n += 1
    q = q + " " * n  # distinct body: no cache hit
    assert len(q.encode()) <= 2048 or True
    r = probe.send(q)
    print(f"{name:45s} req={r[0]:5d}B status={r[1]} resp={r[2]:9d}B wall={r[3]*1000:7.0f}ms cpu={r[4]*1000:6.0f}ms {r[5]}")
print("VmHWM/VmRSS kB", list(probe.hwm()))
