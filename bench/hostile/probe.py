import json, sys, time, urllib.request
import os
PID = int(open(os.environ.get('API_PID_FILE', '/tmp/kt-hostile/pid')).read())
def cpu():
    f = open(f'/proc/{PID}/stat').read().rsplit(')',1)[1].split()
    return (int(f[11]) + int(f[12])) / 100.0
def hwm():
    for l in open(f'/proc/{PID}/status'):
        if l.startswith('VmHWM') or l.startswith('VmRSS'): yield l.split()[1]
def send(q, v=None):
    body = json.dumps({"query": q, "variables": v or {}}).encode()
    req = urllib.request.Request('http://127.0.0.1:18431/graphql', data=body, headers={'content-type':'application/json'})
    c0, t0 = cpu(), time.time()
    try:
        with urllib.request.urlopen(req, timeout=120) as r: data = r.read(); st = r.status
    except urllib.error.HTTPError as e: data = e.read(); st = e.code
    dt, dc = time.time()-t0, cpu()-c0
    try: err = json.loads(data).get('errors', [{}])[0].get('message','')[:70] if b'"errors"' in data[:200] or len(data) < 500 else ''
    except Exception: err = data[:70]
    return len(body), st, len(data), dt, dc, err
if __name__ == '__main__':
    q = sys.argv[1]
    print(send(q), list(hwm()))
