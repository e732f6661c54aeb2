# Pulls every queue of TOPIC from offset 0 to its end with the Apache C++ pull consumer.
# Args: NAMESRV TOPIC GROUP TAG_EXPR. Prints one JSON line {"pulled": n, "distinct": d, "tags": [...]}.
import json, sys
from rocketmq.client import PullConsumer

namesrv, topic, group, expr = sys.argv[1:5]
c = PullConsumer(group); c.set_namesrv_addr(namesrv); c.start()
got = []
for msg in c.pull(topic, expr):
    tags = msg.tags.decode() if isinstance(msg.tags, bytes) else msg.tags
    body = msg.body.decode() if isinstance(msg.body, bytes) else msg.body
    got.append((tags, body))
c.shutdown()
print(json.dumps({'pulled': len(got), 'distinct': len(set(b for _, b in got)),
                  'tags': sorted(set(t for t, _ in got))}))
