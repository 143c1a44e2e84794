// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

/// Observes what the EVM shows of another account (its code through EXTCODESIZE, EXTCODEHASH and
/// EXTCODECOPY, and what a CALL and a STATICCALL to it return), what value it receives, and
/// where value it sends goes: the validator-code and cross-shard vectors of the execution runner.
contract Probe {
    event Observed(
        uint256 size,
        bytes32 hash,
        bytes code,
        bool callOk,
        bytes callReturn,
        bool staticOk,
        bytes staticReturn
    );
    event Received(uint256 value, uint256 balance);

    function observe(address a) external {
        (bool callOk, bytes memory callReturn) = a.call{gas: 50000}("");
        (bool staticOk, bytes memory staticReturn) = a.staticcall{gas: 50000}("");
        emit Observed(a.code.length, a.codehash, a.code, callOk, callReturn, staticOk, staticReturn);
    }

    function give(address to, uint256 amount) external payable {
        (bool ok, ) = payable(to).call{value: amount}("");
        require(ok, "give failed");
    }

    receive() external payable {
        emit Received(msg.value, address(this).balance);
    }
}
