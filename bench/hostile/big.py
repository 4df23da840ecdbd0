import probe
M = 2*1024*1024 - 200
def fill(unit, pre="{", post="}"):
    n = (M - len(pre) - len(post)) // len(unit)
    return pre + unit * n + post
tests = {
 "aliases a1:__typename": fill("a:__typename "),
 "list literal arg": "{__typename(a:[" + "1," * ((M-40)//2) + "1])}",
 "string literal arg": '{__typename(a:"' + "x" * (M-40) + '")}',
 "nested [[[ list": "{__typename(a:" + "[" * 60 + "1" + "]" * 60 + ")}",
 "80k operations": "".join(f"query q{i}{{__typename}} " for i in range(M // 28)),
 "unused fragments": "".join(f"fragment f{i} on Query{{__typename}} " for i in range(M // 40)) + "{__typename}",
 "directives": fill("@skip(if:false) ", "{__typename ", "}"),

 "variables used": "query(" + "".join(f"$v{i}:Int " for i in range(M // 30)) + "){__typename(" + "".join(f"a{i}:$v{i} " for i in range(M // 30)) + ")}",
 "object literal arg": "{__typename(a:{" + "".join(f"k{i}:1 " for i in range(M // 9)) + "})}",
}
n=100
for name, q in tests.items():
    n+=1
    q = q + " " * n
    r = probe.send(q)
    print(f"{name:25s} req={r[0]:8d}B status={r[1]} resp={r[2]:8d}B wall={r[3]*1000:7.0f}ms cpu={r[4]*1000:6.0f}ms {r[5]}")
print("VmHWM/VmRSS kB", list(probe.hwm()))
