# Push-consumes with the Apache C++ client until EXPECTED messages arrived (then waits SETTLE
# seconds more to catch extra deliveries) or SECONDS passed.
# Args: NAMESRV TOPIC TAG_EXPR GROUP SECONDS EXPECTED [SETTLE]. Prints one JSON line:
# {"consumed": n, "distinct": d, "tags": [...], "bodies_min": i, "bodies_max": j}.
#
# One consume thread: the 1.2.x core in this wheel takes a finished batch out of its process queue
# and stores the queue's new offset under two different locks, and the store overwrites without
# comparing, so with two threads an older batch finishing late can set a queue's offset back to
# its own first message (then committed at shutdown: issue 17 saw 3 messages again). Batches in
# order on one thread keep the offset monotonic. The JSON line is printed before shutdown: the
# core sometimes aborts in shutdown (boost::thread_interrupted from its route-update timer), which
# must not lose the counts; the caller checks the committed offsets on the broker itself.
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

c = PushConsumer(group); c.set_namesrv_addr(namesrv); c.set_thread_count(1)
c.subscribe(topic, on_message, expr); c.start()
deadline = time.time() + seconds
while time.time() < deadline:
    time.sleep(0.1)
    with lock:
        if len(got) >= expected:
            break
time.sleep(settle)
with lock:
    numbers = [int(b.split('-')[1]) for _, b in got if b.startswith('body-')]
    print(json.dumps({
        'consumed': len(got),
        'distinct': len(set(b for _, b in got)),
        'tags': sorted(set(t for t, _ in got)),
        'bodies_min': min(numbers) if numbers else -1,
        'bodies_max': max(numbers) if numbers else -1,
    }), flush=True)
c.shutdown()
