# A transactional producer of the Apache C++ client 2.1 (PyPI rocketmq-python-cvs 2.1.0.3),
# driven through the C API its librocketmq.so exports (CreateTransactionProducer,
# SendMessageTransaction); the Python layer has no transaction producer.
#
# Args: NAMESRV GROUP TOPIC COUNT EXEC CHECK LINGER [options]
#   COUNT messages, key tx-<i>, body tx-body-<i>, tag TagTx. COUNT 0 sends nothing (a producer
#   that only answers checks).
#   EXEC  what the local transaction returns after each send; CHECK what the checker answers:
#         commit | rollback | unknown | split (commit even i, roll back odd i)
#   LINGER seconds to stay up after sending, answering checks (ends early with --until-checks N
#         once N checks were answered)
# Options:
#   --die-after-send   exit at once after the sends (no shutdown: the OS closes the sockets)
#   --hold FILE        each local transaction waits until FILE exists before answering
#   --immunity SECS    set CHECK_IMMUNITY_TIME_IN_SECONDS on each message
#   --until-checks N   stop lingering after N checks
#   --start N          number the messages from N (keys tx-N...)
# Prints one JSON line per event ({"event": "sent"|"executing"|"check", ...}) and last
# {"sent_ok": n, "failed": f, "checks": c, "checked_keys": [...], "send_seconds": s}.
import ctypes, json, os, sys, threading, time
from ctypes import CFUNCTYPE, POINTER, byref, c_char_p, c_int, c_void_p

from rocketmq.ffi import dll, _CSendResult as CSendResult  # {int status; char msgId[256]; long long offset}

STATES = {'commit': 0, 'rollback': 1, 'unknown': 2}

CALLBACK = CFUNCTYPE(c_int, c_void_p, c_void_p, c_void_p)
dll.CreateTransactionProducer.argtypes = [c_char_p, CALLBACK, c_void_p]
dll.CreateTransactionProducer.restype = c_void_p
dll.SendMessageTransaction.argtypes = [c_void_p, c_void_p, CALLBACK, c_void_p, POINTER(CSendResult)]
dll.SendMessageTransaction.restype = c_int
dll.GetMessageKeys.argtypes = [c_void_p]
dll.GetMessageKeys.restype = c_char_p

args = sys.argv[1:]
namesrv, group, topic, count, exec_state, check_state, linger = args[:7]
count, linger = int(count), float(linger)
opts = args[7:]


def opt(name):
    return opts[opts.index(name) + 1] if name in opts else None


hold, immunity, until_checks = opt('--hold'), opt('--immunity'), opt('--until-checks')
start = int(opt('--start') or 0)
lock = threading.Lock()
checked = []


def emit(**kv):
    with lock:
        print(json.dumps(kv), flush=True)


def decide(state, key):
    if state == 'split':
        return 0 if int(key.split('-')[-1]) % 2 == 0 else 1
    return STATES[state]


def key_of(msg):
    k = dll.GetMessageKeys(msg)
    return k.decode() if k else ''


@CALLBACK
def checker(_producer, msg, _data):
    key = key_of(msg)
    with lock:
        checked.append(key)
    emit(event='check', key=key)
    return decide(check_state, key)


@CALLBACK
def executor(_producer, msg, _data):
    key = key_of(msg)
    if hold:
        emit(event='executing', key=key)
        while not os.path.exists(hold):
            time.sleep(0.05)
    return decide(exec_state, key)


log_path = os.path.join(os.environ.get('HOME', '/tmp'), 'logs').encode()
instance = ('tx-%d' % os.getpid()).encode()

# The client heartbeats 10 ms after its first start (before it knows any broker), then every
# 30 s; a producer started on a running client heartbeats at once. So a plain producer of the
# same client instance sends one message first (the client learns the broker), and the
# transaction producer's start then registers its group with the broker right away, before
# any check is due.
warm = dll.CreateProducer(('%s_warmup' % group).encode())
dll.SetProducerNameServerAddress(warm, namesrv.encode())
dll.SetProducerInstanceName(warm, instance)
dll.SetProducerLogPath(warm, log_path)
if dll.StartProducer(warm) != 0:
    emit(error='warm-up producer start failed')
    sys.exit(1)
warm_msg = dll.CreateMessage(b'TxWarmup')
dll.SetMessageBody(warm_msg, b'warm-up')
warm_result = CSendResult()
dll.SendMessageSync(warm, warm_msg, byref(warm_result))
dll.DestroyMessage(warm_msg)

producer = dll.CreateTransactionProducer(group.encode(), checker, None)
dll.SetProducerNameServerAddress(producer, namesrv.encode())
dll.SetProducerInstanceName(producer, instance)
dll.SetProducerSendMsgTimeout(producer, 5000)
dll.SetProducerLogPath(producer, log_path)
if dll.StartProducer(producer) != 0:
    emit(error='start failed')
    sys.exit(1)

ok = failed = 0
began = time.time()
for i in range(start, start + count):
    msg = dll.CreateMessage(topic.encode())
    dll.SetMessageKeys(msg, ('tx-%d' % i).encode())
    dll.SetMessageTags(msg, b'TagTx')
    dll.SetMessageBody(msg, ('tx-body-%d' % i).encode())
    if immunity:
        dll.SetMessageProperty(msg, b'CHECK_IMMUNITY_TIME_IN_SECONDS', immunity.encode())
    result = CSendResult()
    status = dll.SendMessageTransaction(producer, msg, executor, None, byref(result))
    dll.DestroyMessage(msg)
    if status == 0 and result.sendStatus == 0:
        ok += 1
    else:
        failed += 1
    emit(event='sent', key='tx-%d' % i, status=status, send_status=result.sendStatus,
         msg_id=result.msgId.decode(), offset=result.offset)
send_seconds = round(time.time() - began, 3)

if '--die-after-send' in opts:
    emit(sent_ok=ok, failed=failed, checks=len(checked), checked_keys=sorted(checked),
         send_seconds=send_seconds)
    os._exit(0)

deadline = time.time() + linger
while time.time() < deadline:
    with lock:
        if until_checks and len(checked) >= int(until_checks):
            break
    time.sleep(0.1)
time.sleep(0.5)  # let the last END_TRANSACTION leave
emit(sent_ok=ok, failed=failed, checks=len(checked), checked_keys=sorted(checked),
     send_seconds=send_seconds)
sys.stdout.flush()
os._exit(0)
