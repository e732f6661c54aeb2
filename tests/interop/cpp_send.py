# Sends N messages (tags alternate TagA/TagB, keys k<i>) with the Apache C++ client.
# Args: NAMESRV COUNT TOPIC. Prints SENT_OK <n>.
import sys
from rocketmq.client import Producer, Message
p = Producer('pg1'); p.set_namesrv_addr(sys.argv[1]); p.set_timeout(5000); p.start()
ok=0
for i in range(int(sys.argv[2])):
    m = Message(sys.argv[3]); m.set_tags('TagA' if i%2==0 else 'TagB'); m.set_keys('k%d'%i); m.set_body('body-%d'%i)
    r = p.send_sync(m)
    if r.status == 0: ok+=1
    if i < 2: print('result', r.status, r.msg_id, r.offset)
print('SENT_OK', ok)
p.shutdown()
