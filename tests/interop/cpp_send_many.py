# Sends COUNT messages with the Apache C++ client (PyPI rocketmq 0.4.4); tags cycle through the
# comma-separated TAGS list, keys are k<i>, bodies body-<START+i>.
# Args: NAMESRV TOPIC COUNT TAGS [START]. Prints one JSON line {"sent_ok": n, "failed": m}.
import json, sys
from rocketmq.client import Producer, Message

namesrv, topic, count, tags = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split(',')
start = int(sys.argv[5]) if len(sys.argv) > 5 else 0
p = Producer('cpp_many_pg'); p.set_namesrv_addr(namesrv); p.set_timeout(5000); p.start()
ok = failed = 0
for i in range(start, start + count):
    m = Message(topic); m.set_tags(tags[i % len(tags)]); m.set_keys('k%d' % i)
    m.set_body('body-%d' % i)
    try:
        r = p.send_sync(m)
        if r.status == 0:
            ok += 1
        else:
            failed += 1
    except Exception as e:
        failed += 1
        print('send error', e, file=sys.stderr)
p.shutdown()
print(json.dumps({'sent_ok': ok, 'failed': failed}))
