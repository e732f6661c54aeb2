# Pulls every queue of TOPIC from offset 0 to its end with the Apache C++ client's pull
# consumer (any version) and prints one JSON line {"bodies": [...sorted...], "count": n}.
# Args: NAMESRV TOPIC GROUP
import json, sys
from rocketmq.client import PullConsumer

namesrv, topic, group = sys.argv[1:4]
c = PullConsumer(group); c.set_namesrv_addr(namesrv); c.start()
bodies = []
for msg in c.pull(topic, '*'):
    body = msg.body.decode() if isinstance(msg.body, bytes) else msg.body
    bodies.append(body)
c.shutdown()
print(json.dumps({'bodies': sorted(bodies), 'count': len(bodies)}))
