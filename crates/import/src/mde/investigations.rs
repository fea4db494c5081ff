//! Defender for Endpoint automated investigations, `/api/investigations`: their state, device
//! and triggering alert.

use crate::json::fields::{id, skip, text, timestamp};
use crate::json::response::{Ctx, Item};
use airview_engine::model::{Device, InvestigationInfo};
use serde::de::{self, MapAccess};

/// An investigation being read.
pub(super) struct InvestigationItem(InvestigationInfo);

impl Item for InvestigationItem {
    type State = ();
    const DOCUMENT: &'static str = "an investigation, a list response or an array of them";
    const LIST: &'static str = "an array of investigations";
    const OBJECT: &'static str = "an investigation or a list response (an object)";
    const NULL_IS_AN_EMPTY_LIST: bool = true;

    fn start(ctx: &Ctx<()>) -> Self {
        InvestigationItem(InvestigationInfo {
            file: ctx.file,
            ..InvestigationInfo::default()
        })
    }

    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        _ctx: &mut Ctx<()>,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let i = &mut self.0;
        match key {
            "id" => i.id = id(map)?.unwrap_or_default(),
            "state" => i.state = text(map)?,
            "machineId" => i.machine_id = text(map)?,
            "computerDnsName" => i.machine_dns_name = text(map)?,
            "startTime" => i.started = timestamp(map)?,
            "endTime" => i.ended = timestamp(map)?,
            "triggeringAlertId" => i.triggering_alert_id = id(map)?,
            _ => skip(map)?,
        }
        Ok(())
    }

    fn finish<E: de::Error>(self, ctx: &mut Ctx<()>) -> Result<(), E> {
        let mut i = self.0;
        let data = &mut *ctx.data;
        if i.id.is_empty() {
            i.id = format!(
                "(investigation without id #{})",
                data.investigations.len() + 1
            );
        }
        // The investigation names the device's DNS name, which alerts may lack.
        if let Some(machine) = &i.machine_id {
            if i.machine_dns_name.is_some() {
                data.upsert_device(Device {
                    mde_device_id: machine.clone(),
                    dns_name: i.machine_dns_name.clone(),
                    ..Device::default()
                });
            }
        }
        data.investigations.push(i);
        Ok(())
    }
}
