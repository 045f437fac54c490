//! The instruments this market knows, with what does not move.

/// One listed instrument.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Instrument {
    pub symbol: &'static str,
    pub name: &'static str,
    pub exchange: &'static str,
    pub currency: &'static str,
    pub sector: &'static str,
    pub isin: &'static str,
    pub description: &'static str,
    /// The level prices swing around.
    pub base: f64,
    /// Shares outstanding (for the market capitalisation).
    pub shares: f64,
}

const fn instrument(
    symbol: &'static str,
    name: &'static str,
    sector: &'static str,
    isin: &'static str,
    description: &'static str,
    base: f64,
    shares: f64,
) -> Instrument {
    Instrument {
        symbol,
        name,
        exchange: "NASDAQ",
        currency: "USD",
        sector,
        isin,
        description,
        base,
        shares,
    }
}

pub const INSTRUMENTS: [Instrument; 8] = [
    instrument(
        "AAPL",
        "Apple Inc.",
        "Technology",
        "US0378331005",
        "Designs and sells smartphones, personal computers, tablets, wearables and services.",
        229.0,
        15.2e9,
    ),
    instrument(
        "MSFT",
        "Microsoft Corp.",
        "Technology",
        "US5949181045",
        "Makes software, cloud services, devices and games.",
        424.0,
        7.43e9,
    ),
    instrument(
        "NVDA",
        "NVIDIA Corp.",
        "Semiconductors",
        "US67066G1040",
        "Designs graphics and compute processors for gaming, data centres and automotive.",
        138.0,
        24.5e9,
    ),
    instrument(
        "AMZN",
        "Amazon.com Inc.",
        "Consumer",
        "US0231351067",
        "Runs online retail, cloud computing and advertising businesses.",
        197.0,
        10.5e9,
    ),
    instrument(
        "GOOGL",
        "Alphabet Inc.",
        "Communication",
        "US02079K3059",
        "Owns Google: search, advertising, cloud, Android and YouTube.",
        171.0,
        12.3e9,
    ),
    instrument(
        "META",
        "Meta Platforms Inc.",
        "Communication",
        "US30303M1027",
        "Runs Facebook, Instagram, WhatsApp and virtual-reality products.",
        559.0,
        2.53e9,
    ),
    instrument(
        "TSLA",
        "Tesla Inc.",
        "Automotive",
        "US88160R1014",
        "Makes electric vehicles, batteries and solar products.",
        249.0,
        3.2e9,
    ),
    Instrument {
        exchange: "NYSE",
        ..instrument(
            "JPM",
            "JPMorgan Chase & Co.",
            "Financials",
            "US46625H1005",
            "Provides investment banking, commercial banking and asset management.",
            222.0,
            2.85e9,
        )
    },
];

/// The instrument with this symbol (case-insensitive).
pub fn find(symbol: &str) -> Option<&'static Instrument> {
    INSTRUMENTS
        .iter()
        .find(|i| i.symbol.eq_ignore_ascii_case(symbol))
}
