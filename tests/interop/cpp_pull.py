# Pulls every queue once with the C++ pull consumer. Args: NAMESRV TOPIC GROUP [TAG_EXPR].
# Prints PULLED <n> <tags>.
import sys, time
from rocketmq.client import PullConsumer
c = PullConsumer(sys.argv[3]); c.set_namesrv_addr(sys.argv[1]); c.start()
n=0; tags=set()
for msg in c.pull(sys.argv[2], sys.argv[4] if len(sys.argv)>4 else '*'):
    n+=1; tags.add(msg.tags)
c.shutdown()
print('PULLED', n, sorted(tags))
