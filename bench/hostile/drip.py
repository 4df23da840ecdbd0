import socket, time, threading, sys
ADDR = ('127.0.0.1', 18431)
N = 20
closed = [None]*N
def drip(i):
    s = socket.create_connection(ADDR)
    t0 = time.time()
    head = b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    k = 0
    s.settimeout(0.5)
    while True:
        try:
            s.send(head[k % len(head):k % len(head)+1]); k += 1
        except OSError:
            break
        try:
            d = s.recv(1)
            if d == b"":
                break
        except socket.timeout:
            pass
        except OSError:
            break
        if time.time() - t0 > 60: break
    closed[i] = time.time() - t0
ts = [threading.Thread(target=drip, args=(i,)) for i in range(N)]
[t.start() for t in ts]; [t.join() for t in ts]
print(f"{N} dripping connections held {min(closed):.2f}..{max(closed):.2f} s")
