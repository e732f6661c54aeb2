# The Apache C++ client (PyPI rocketmq 0.4.4) with ACL credentials (set_session_credentials).
# The account comes from the environment, never argv: RMQ_ACCESS_KEY, RMQ_SECRET_KEY.
#   send NAMESRV TOPIC COUNT      -> {"sent_ok": n, "failed": m, "error": "first error"}
#   pull NAMESRV TOPIC GROUP      -> {"pulled": n, "distinct": d, "refused": r}
#   push NAMESRV TOPIC GROUP SECONDS EXPECTED -> {"consumed": n, "distinct": d}
# pull reads every queue of TOPIC from offset 0 to its end; a pull the broker refuses comes
# back as BROKER_TIMEOUT from this client, counted in "refused" (at most 3 per queue).
import ctypes, json, os, sys, threading, time
from rocketmq.client import Producer, PullConsumer, PushConsumer, Message, RecvMessage
from rocketmq.ffi import dll, _CMessageQueue, _CPullStatus
from rocketmq.exceptions import ffi_check

ak, sk = os.environ['RMQ_ACCESS_KEY'], os.environ['RMQ_SECRET_KEY']
mode, namesrv, topic = sys.argv[1], sys.argv[2], sys.argv[3]

def text(v):
    return v.decode() if isinstance(v, bytes) else v

if mode == 'send':
    count = int(sys.argv[4])
    p = Producer('cpp_acl_pg'); p.set_namesrv_addr(namesrv); p.set_timeout(3000)
    p.set_session_credentials(ak, sk, 'ALIYUN'); p.start()
    ok = failed = 0; error = None
    for i in range(count):
        m = Message(topic); m.set_tags('TagA'); m.set_keys('k%d' % i); m.set_body('body-%d' % i)
        try:
            r = p.send_sync(m)
            if r.status == 0:
                ok += 1
            else:
                failed += 1
        except Exception as e:
            failed += 1
            error = error or str(e)
    p.shutdown()
    print(json.dumps({'sent_ok': ok, 'failed': failed, 'error': error}), flush=True)
elif mode == 'pull':
    group = sys.argv[4]
    c = PullConsumer(group); c.set_namesrv_addr(namesrv)
    c.set_session_credentials(ak, sk, 'ALIYUN'); c.start()
    queues = ctypes.POINTER(_CMessageQueue)(); size = ctypes.c_int()
    ffi_check(dll.FetchSubscriptionMessageQueues(c._handle, topic.encode(),
                                                 ctypes.pointer(queues), ctypes.pointer(size)))
    bodies = []; refused = 0
    for i in range(size.value):
        mq = queues[i]; offset = 0; errors = 0
        while errors < 3:
            res = dll.Pull(c._handle, ctypes.pointer(mq), b'*', ctypes.c_longlong(offset), 32)
            status = res.pullStatus
            if status == _CPullStatus.BROKER_TIMEOUT:
                errors += 1; refused += 1
            else:
                offset = res.nextBeginOffset
            if status == _CPullStatus.FOUND:
                for j in range(res.size):
                    bodies.append(text(RecvMessage(res.msgFoundList[j]).body))
            dll.ReleasePullResult(res)
            if status == _CPullStatus.NO_NEW_MSG:
                break
    ffi_check(dll.ReleaseSubscriptionMessageQueue(queues))
    print(json.dumps({'pulled': len(bodies), 'distinct': len(set(bodies)), 'refused': refused}),
          flush=True)
    c.shutdown()
elif mode == 'push':
    # Heartbeats, rebalance, offset queries and commits are all signed requests.
    group, seconds, expected = sys.argv[4], float(sys.argv[5]), int(sys.argv[6])
    got = []; lock = threading.Lock()
    def on_message(msg):
        with lock:
            got.append(text(msg.body))
    c = PushConsumer(group); c.set_namesrv_addr(namesrv); c.set_thread_count(1)
    c.set_session_credentials(ak, sk, 'ALIYUN')
    c.subscribe(topic, on_message, '*'); c.start()
    deadline = time.time() + seconds
    while time.time() < deadline:
        time.sleep(0.1)
        with lock:
            if len(got) >= expected:
                break
    with lock:
        print(json.dumps({'consumed': len(got), 'distinct': len(set(got))}), flush=True)
    c.shutdown()
