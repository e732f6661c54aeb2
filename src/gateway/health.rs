//! `GET /healthz`: the gateway can send when a name server answers with its topic's route and at
//! least one master that can be written to answers too (GET_TOPIC_CONFIG of the topic).

use crate::admin::{Admin, AdminError};
use crate::protocol::perm;
use serde::Serialize;

/// One master of the gateway topic's route and whether it answered.
#[derive(Debug, Clone, Serialize)]
pub struct BrokerHealth {
    pub broker_name: String,
    pub addr: String,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What `/healthz` found.
#[derive(Debug, Clone, Serialize)]
pub struct Health {
    /// `success` or `error`, like every gateway answer.
    pub status: &'static str,
    pub msg: String,
    pub topic: String,
    pub brokers: Vec<BrokerHealth>,
}

impl Health {
    pub fn healthy(&self) -> bool {
        self.status == "success"
    }

    fn failed(topic: &str, msg: String, brokers: Vec<BrokerHealth>) -> Self {
        Health {
            status: "error",
            msg,
            topic: topic.to_string(),
            brokers,
        }
    }
}

/// Ask the name servers for `topic`'s route and every writable master for the topic.
pub async fn check(admin: &Admin, topic: &str) -> Health {
    let route = match admin.route_data(topic).await {
        Ok(route) => route,
        Err(AdminError::TopicNotFound(_)) => {
            return Health::failed(
                topic,
                format!("the name servers know no broker with topic {topic:?} (no master registered, or the topic is not created yet)"),
                Vec::new(),
            )
        }
        Err(e) => return Health::failed(topic, format!("name server: {e}"), Vec::new()),
    };
    let masters: Vec<(String, String)> = route
        .queue_datas
        .iter()
        .filter(|q| q.perm & perm::WRITE != 0 && q.write_queue_nums > 0)
        .filter_map(|q| {
            let addr = route.master_addr_of(&q.broker_name)?;
            Some((q.broker_name.clone(), addr.to_string()))
        })
        .collect();
    let answers = futures::future::join_all(
        masters
            .iter()
            .map(|(_, addr)| admin.broker_topic_config(addr, topic)),
    )
    .await;
    let brokers: Vec<BrokerHealth> = masters
        .into_iter()
        .zip(answers)
        .map(|((broker_name, addr), answer)| BrokerHealth {
            broker_name,
            addr,
            ok: answer.is_ok(),
            error: answer.err().map(|e| e.to_string()),
        })
        .collect();
    let up = brokers.iter().filter(|b| b.ok).count();
    if up == 0 {
        let msg = if brokers.is_empty() {
            format!("topic {topic:?} has no writable master")
        } else {
            format!("no writable master of topic {topic:?} answers")
        };
        return Health::failed(topic, msg, brokers);
    }
    Health {
        status: "success",
        msg: format!("{up} of {} writable masters answer", brokers.len()),
        topic: topic.to_string(),
        brokers,
    }
}
