# Consumes with the C++ push consumer. Args: NAMESRV TOPIC TAG_EXPR GROUP SECONDS EXPECTED.
# Prints CONSUMED <n> <tags>.
import sys, time, threading
from rocketmq.client import PushConsumer
got=[]; lock=threading.Lock()
def cb(msg):
    with lock: got.append((msg.tags.decode() if isinstance(msg.tags,bytes) else msg.tags, msg.body))
c = PushConsumer(sys.argv[4]); c.set_namesrv_addr(sys.argv[1]); c.subscribe(sys.argv[2], cb, sys.argv[3]); c.start()
deadline=time.time()+float(sys.argv[5])
while time.time()<deadline:
    time.sleep(0.2)
    with lock:
        if len(got)>=int(sys.argv[6]): break
c.shutdown()
print('CONSUMED', len(got), sorted(set(t for t,_ in got)))
