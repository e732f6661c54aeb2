# Sends one message to a topic nobody created, through the Apache C++ client (PyPI rocketmq 0.4.4).
# Prints SENT <status> or ERROR <type> <message>.
import sys, time
from rocketmq.client import Producer, Message
p = Producer('probe_group')
p.set_namesrv_addr(sys.argv[1])
p.set_timeout(3000)
p.start()
m = Message('NoSuchTopicXYZ'); m.set_body('hello')
try:
    r = p.send_sync(m)
    print('SENT', r.status)
except Exception as e:
    print('ERROR', type(e).__name__, e)
p.shutdown()
