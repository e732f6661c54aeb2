# Push-consumes with the Apache C++ client until EXPECTED messages arrived (then waits SETTLE
# seconds more to catch extra deliveries) or SECONDS passed.
# Args: NAMESRV TOPIC TAG_EXPR GROUP SECONDS EXPECTED [SETTLE]. Prints one JSON line:
# {"consumed": n, "distinct": d, "tags": [...], "bodies_min": i, "bodies_max": j}.
import json, sys, threading, time
from rocketmq.client import PushConsumer

namesrv, topic, expr, group = sys.argv[1:5]
seconds, expected = float(sys.argv[5]), int(sys.argv[6])
settle = float(sys.argv[7]) if len(sys.argv) > 7 else 1.0
got = []; lock = threading.Lock()

def text(v):
    return v.decode() if isinstance(v, bytes) else v

def on_message(msg):
    with lock:
        got.append((text(msg.tags), text(msg.body)))

c = PushConsumer(group); c.set_namesrv_addr(namesrv); c.subscribe(topic, on_message, expr); c.start()
deadline = time.time() + seconds
while time.time() < deadline:
    time.sleep(0.1)
    with lock:
        if len(got) >= expected:
            break
time.sleep(settle)
c.shutdown()
numbers = [int(b.split('-')[1]) for _, b in got if b.startswith('body-')]
print(json.dumps({
    'consumed': len(got),
    'distinct': len(set(b for _, b in got)),
    'tags': sorted(set(t for t, _ in got)),
    'bodies_min': min(numbers) if numbers else -1,
    'bodies_max': max(numbers) if numbers else -1,
}))
