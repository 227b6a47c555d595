// SPDX-License-Identifier: GPL-2.0

// The plain master of the cases whose misuse is a master's call about
// its slave (`include!`d after fake_driver.rs, inside the case's module):
// `fake_master!(|dev, slave, rtnl| { misuse })` declares `Fake`, an
// Ethernet master without `KEEP_OUT` that takes every slave and runs the
// misuse when it lets one go (`del_slave`).

macro_rules! fake_master {
    (|$dev:ident, $slave:ident, $rtnl:ident| $misuse:block) => {
        fake_driver! {
            Fake, ();

            fn setup(dev: &mut Setup<'_, Self>) {
                dev.ether_setup();
            }

            fn add_slave(
                _dev: &Device<Self>,
                _slave: &NetDevice,
                _extack: &mut ExtAck,
                _rtnl: &mut Rtnl,
            ) -> Result {
                Ok(())
            }

            fn del_slave($dev: &Device<Self>, $slave: &NetDevice, $rtnl: &mut Rtnl) -> Result {
                $misuse
                Ok(())
            }
        }
    };
}
