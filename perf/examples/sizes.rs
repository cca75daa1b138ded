fn main() {
    use ledger::objects::*;
    println!("account {}", std::mem::size_of::<AccountObject>());
    println!("stats {}", std::mem::size_of::<AccountStatisticsObject>());
    println!("asset {}", std::mem::size_of::<AssetObject>());
    println!("assetdyn {}", std::mem::size_of::<AssetDynamicDataObject>());
    println!("balance {}", std::mem::size_of::<AccountBalanceObject>());
    println!("txhist {}", std::mem::size_of::<TransactionHistoryObject>());
    println!("op {}", std::mem::size_of::<ledger::ops::Operation>());
    println!("tx {}", std::mem::size_of::<ledger::transaction::SignedTransaction>());
}
